"""레슨 01 자가 점검의 메시지 (한국어). 키: 연습문제.실수; ``.hint``는 빈 함수일 때 보여 줍니다."""

MESSAGES = {
    # 연습 문제 1: gd_run(grad, x0, lr, steps) -> path, 모양이 (steps + 1, d)인 배열
    "gd_run.hint": "모든 점을 한 행에 하나씩 남기세요. 먼저 출발점 x0, 그다음 스텝마다 그 뒤의 점입니다(그래서 "
                   "스텝을 `steps`번 실행하면 행은 steps + 1개입니다)",
    "gd_run.ok": "여러분의 경로가 x_0부터 x_steps까지 점 하나하나 경사 하강법의 경로와 같습니다.",
    "gd_run.only_end": "마지막 점만 반환했습니다. x_0부터 x_steps까지 경로 전체를 점 하나에 한 행씩 반환하세요",
    "gd_run.no_start": "출발점 x_0이 빠졌습니다. 경로는 x0 자체로 시작하고, 그다음 스텝마다 한 행씩 이어집니다",
    "gd_run.one_step_short": "한 스텝이 모자랍니다. 스텝을 steps번 밟으면 점은 x_0부터 x_steps까지 steps + 1개인데, "
                             "여러분의 경로는 x_(steps - 1)에서 멈춥니다",
    "gd_run.aliased": "경로의 모든 행이 마지막 점입니다. 같은 배열을 거듭 추가하면서 그 배열을 제자리에서 "
                      "바꿨습니다(x -= ...). 점마다 새 배열을 추가하세요(예: x = x - lr * grad(x), 또는 "
                      "x.copy()를 추가)",
    "gd_run.sign": "부호가 틀렸습니다. 경로가 오르막을 올라갑니다(x + lr * grad). 경사 하강법은 기울기를 뺍니다",
    "gd_run.no_lr": "학습률이 빠졌습니다. 스텝마다 기울기 전체만큼 움직였습니다. 기울기에 lr을 곱하세요",
    "gd_run.stale_gradient": "모든 스텝이 출발점 x0에서의 기울기를 썼습니다. 스텝마다 현재 점에서의 기울기 "
                             "grad(x_k)를 구하세요",
    "gd_run.wrong_start": "경로의 0행은 출발점 x0 = {want} 자체여야 하는데 {got}입니다. x0을 바꾸지 말고 맨 "
                          "앞에 둔 다음, 스텝마다 한 행씩 이어 가세요",
    "gd_run.wrong_point": "여러분의 경로는 점 {k}에서 경사 하강법의 경로를 벗어납니다. x_{k}은(는) {want}이어야 "
                          "하는데 {got}입니다. 스텝 x_(k+1) = x_k - lr * grad(x_k)를 확인하세요",
    # 연습 문제 2: step_sizes(a, b) -> (lr_max, lr_best, rate), f(x, y) = a x^2 + b y^2
    "step_sizes.hint": "먼저 각 축 방향의 곡률(2차 도함수)을 구하세요. 그다음 lr_max는 안정성 한계 절을, "
                       "lr_best와 rate는 최적 고정 학습률 절을 참고하세요",
    "step_sizes.ok": "가장 가파른 곡률 L이 한계 2/L을, 두 곡률이 최적 학습률 2/(L + m)을, 조건수가 그 수렴률 "
                     "(kappa - 1)/(kappa + 1)을 정합니다.",
    "step_sizes.max_coefficient": "lr_max: 계수를 곡률로 썼습니다. a x^2의 2차 도함수는 2a이므로 "
                                  "L = 2 max(a, b)입니다",
    "step_sizes.max_one_over_L": "lr_max: 1/L을 답했습니다. 1/L은 가장 가파른 방향의 바닥에 한 번에 도착하는 "
                                 "스텝이고, 경사 하강법은 그 두 배까지 안정합니다",
    "step_sizes.max_flattest": "lr_max: 가장 평평한 방향을 썼습니다. 안정성은 가장 가파른 곡률(2a와 2b 중 큰 "
                               "것)이 정합니다",
    "step_sizes.max_is_best": "lr_max: 답한 값은 두 방향의 균형을 맞추는 스텝 2/(L + m), 곧 lr_best입니다. "
                              "안정성 한계는 가장 가파른 곡률 하나로 정해집니다",
    "step_sizes.max_is_L": "lr_max: 곡률 L 자체를 답했습니다. 한계는 곡률이 아니라 학습률 2/L입니다",
    "step_sizes.best_coefficient": "lr_best: 계수 a와 b를 곡률로 썼습니다. 곡률은 2a와 2b이므로 m과 L은 작은 "
                                   "계수와 큰 계수의 두 배입니다",
    "step_sizes.best_one_over_L": "lr_best: 1/L은 가파른 방향을 한 스텝에 끝내지만, 평평한 방향은 스텝마다 "
                                  "1 - m/L배로 기어가게 둡니다. 스텝을 키우면 평평한 방향은 빨라지지만 가파른 "
                                  "방향이 점점 크게 튑니다. 두 방향이 같은 비율로 줄어들도록 균형을 맞추세요",
    "step_sizes.best_flattest": "lr_best: 1/m은 평평한 방향에는 완벽하겠지만 안정성 한계 2/L을 넘으므로, "
                                "가파른 방향이 폭발합니다",
    "step_sizes.rate_of_one_over_L": "rate: 1 - 1/kappa는 스텝 1/L의 수렴률입니다. 최적 학습률에서는 두 방향 "
                                     "모두 (kappa - 1)/(kappa + 1)배로 줄어듭니다",
    "step_sizes.rate_inverted": "rate: 답이 1보다 큽니다. 그러면 발산한다는 뜻입니다. 분수를 뒤집으세요",
    "step_sizes.rate_of_f": "rate: 답한 값은 f가 줄어드는 비율(거리의 제곱)입니다. 최솟값까지의 거리는 스텝마다 "
                            "(kappa - 1)/(kappa + 1)배로 줄어듭니다",
    "step_sizes.rate_is_kappa": "rate: 조건수 kappa = L/m 자체를 답했습니다. 수렴률은 최솟값까지의 거리가 "
                                "스텝마다 줄어드는 비율로, 1보다 작은 수입니다",
    # 연습 문제 3: which_minimum(x0) -> 도착하는 최솟값의 x, f(x) = x^4/4 + 0.1x^3 - 1.4x^2 + 1.2x
    "which_minimum.hint": "f를 미분하세요. f'의 세 근은 최솟값 두 개와 언덕 꼭대기 하나입니다(np.roots는 "
                          "다항식의 계수로 근을 구합니다). 작은 스텝의 경사 하강법은 내리막으로만 갑니다",
    "which_minimum.ok": "두 최솟값 사이의 언덕 꼭대기, 곧 f' = 0이고 f가 아래로 휘는 점이 끌림 영역을 "
                        "나눕니다. 작은 스텝의 경사 하강법은 결코 그 위를 넘어가지 않습니다.",
    "which_minimum.not_a_number": "최솟값의 x를 {got}이(가) 아니라 수로 반환하세요",
    "which_minimum.not_a_minimum": "x0 = {x0}에서 {got}을(를) 반환했는데, 그곳에서 f' = {slope}이므로 "
                                   "최솟값이 아닙니다. 최솟값은 f'의 근 가운데 두 개입니다",
    "which_minimum.hill_top": "x0 = {x0}에서 언덕 꼭대기를 반환했습니다. 그곳에서 f'은 0이지만 f가 아래로 "
                              "휘므로(f'' < 0) 경사 하강법은 그곳에서 굴러 내려갑니다. 굴러가서 도착하는 "
                              "최솟값을 반환하세요(np.roots는 근을 정해진 순서 없이 주므로 먼저 정렬하세요)",
    "which_minimum.always_global": "언제나 전역 최솟값을 답했습니다. 경사 하강법은 내리막으로만 가므로, 언덕 "
                                   "꼭대기의 반대편에서 출발하면 지역 최솟값에서 끝납니다",
    "which_minimum.swapped": "끌림 영역이 뒤바뀌었습니다. 경사 하강법은 언덕 꼭대기를 넘어가지 않고, "
                             "꼭대기에서 멀어지는 내리막으로 굴러갑니다",
    "which_minimum.nearest": "출발점마다 가장 가까운 최솟값으로 보냈습니다(그러면 끌림 영역이 한가운데인 "
                             "x = {halfway}에서 만납니다). 경사 하강법은 기울기를 따라가며, 끌림 영역은 두 "
                             "최솟값 사이에서 f' = 0인 언덕 꼭대기에서 만납니다",
    "which_minimum.wrong_split": "여러분의 답은 x = {lo}~{hi} 사이에서 수직선을 나누므로, 출발점 "
                                 "{starts}이(가) 엉뚱한 최솟값에서 끝납니다. 끌림 영역은 두 최솟값 사이에서 "
                                 "f' = 0인 곳에서 만납니다",
    "which_minimum.wrong_basin": "출발점 {starts}의 끌림 영역이 틀렸습니다. 두 최솟값 사이의 언덕 "
                                 "꼭대기(f' = 0)를 찾고, 각 출발점이 그 어느 쪽에 있는지 따져 보세요",
    # 연습 문제 4: classify(H) -> 'minimum' | 'maximum' | 'saddle'
    "classify.hint": "np.linalg.eigvalsh(H)는 H의 주축 방향들의 곡률을 줍니다. 각 방향으로 f가 어느 쪽으로 "
                     "휘는지 생각해 보세요",
    "classify.ok": "헤세 행렬 고윳값의 부호가 결정합니다. 모두 양수면 극솟값, 모두 음수면 극댓값, 부호가 "
                   "섞이면 안장점입니다.",
    "classify.not_a_label": "'minimum', 'maximum', 'saddle' 중 하나를 반환하세요. 반환한 값은 {got}입니다",
    "classify.swapped": "H = {H}에서 극솟값과 극댓값이 뒤바뀌었습니다. 고윳값이 모두 0보다 크면 f가 모든 "
                        "방향으로 위로 휘므로 극솟값입니다",
    "classify.diagonal_only": "H = {H}에서 대각 성분만 읽었습니다. 판정은 고윳값({eigenvalues})이 하며, "
                              "부호가 섞이면 안장점입니다",
    "classify.determinant": "H = {H}은(는) 행렬식이 0보다 크지만 고윳값이 음수 둘, 양수 하나이므로 안장점입니다. "
                            "행렬식 판정법은 2차원에서만 통합니다. 고윳값의 부호를 세어 보세요",
    "classify.wrong": "H = {H}은(는) {expected}인데 {got}(이)라고 답했습니다. 고윳값의 부호를 보세요",
}
