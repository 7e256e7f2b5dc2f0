"""레슨 05 자가 점검 메시지 (한국어). 키: 연습문제.실수; ``.hint``는 빈 함수에 보여 줍니다."""

MESSAGES = {
    # 연습 문제 1: he_normal(fan_in, fan_out, rng) -> 모양이 (fan_in, fan_out)인 W
    "he_normal.hint": "He의 규칙은 한 유닛이 더하는 입력의 개수로 가중치의 분산을 정합니다. 모든 수는 주어진 "
                      "rng에서 뽑으세요",
    "he_normal.ok": "표준편차 {std}: fan_in = {fan_in}일 때의 sqrt(2 / fan_in) = {want}에 맞습니다. 모양은 "
                    "(fan_in, fan_out)이고, 같은 rng에서는 같은 가중치가 나옵니다.",
    "he_normal.not_array": "가중치를 numpy 배열로 반환하세요. 지금 반환한 것은 {got}입니다",
    "he_normal.torch_layout": "모양이 (fan_out, fan_in) = {shape}입니다. 이것은 torch의 Linear 레이아웃입니다. "
                              "우리 층은 x @ W를 계산하므로 W는 입력 하나마다 행이 하나입니다. 모양은 "
                              "(fan_in, fan_out) = {want_shape}이어야 합니다",
    "he_normal.wrong_shape": "모양이 (fan_in, fan_out) = {want_shape}이어야 하는데 {shape}입니다",
    "he_normal.not_finite": "가중치 가운데 NaN이거나 무한대인 값이 있습니다",
    "he_normal.not_reproducible": "같은 rng 상태에서 다른 가중치가 나왔습니다. 모든 수를 주어진 rng에서 "
                                  "뽑으세요(rng.normal(...)). np.random이나 함수 안에서 새로 만든 생성기를 쓰면 "
                                  "안 됩니다",
    "he_normal.constant": "모든 가중치가 같은 수입니다. 상수 초기화는 한 층의 모든 유닛을 똑같이 유지합니다"
                          "(대칭성 문제). 가중치를 무작위로 뽑으세요",
    "he_normal.not_centred": "가중치의 중심이 0이 아닙니다(평균 {mean}). N(0, std^2)에서 뽑으세요",
    "he_normal.uniform": "가중치가 한 구간에 고르게 퍼져 있습니다(꼬리 없이 평평한 균일분포). he_normal은 "
                         "정규분포에서 rng.normal(0.0, std, size=...)로 뽑습니다. 균일분포형은 he_uniform입니다",
    "he_normal.fan_out": "표준편차가 {std}입니다. fan_out을 썼습니다. He의 순방향 규칙은 *출력*의 분산을 "
                         "유지하고, 출력은 fan_in개의 입력을 더하므로 std = sqrt(2 / fan_in)입니다",
    "he_normal.lecun": "표준편차가 {std}입니다. 이것은 LeCun의 표준편차 sqrt(1 / fan_in)입니다. ReLU는 입력의 "
                       "절반을 0으로 만들므로 He는 분산을 두 배로 합니다. std = sqrt(2 / fan_in)입니다",
    "he_normal.xavier": "표준편차가 {std}입니다. 이것은 Xavier의 표준편차 sqrt(2 / (fan_in + fan_out))입니다. "
                        "He는 fan_in만 씁니다. sqrt(2 / fan_in)입니다",
    "he_normal.variance_as_std": "표준편차가 {std}입니다. 분산 2 / fan_in을 표준편차로 썼습니다. 제곱근을 "
                                 "취하세요",
    "he_normal.bound_as_std": "표준편차가 {std}입니다. 균일분포의 경곗값 sqrt(6 / fan_in)을 표준편차로 "
                              "썼습니다. 정규분포형에는 sqrt(3)배 너무 넓습니다",
    "he_normal.unscaled": "표준편차가 {std}입니다. 가중치가 크기를 조정하지 않은 N(0, 1) 그대로입니다. "
                          "sqrt(2 / fan_in)을 곱하세요",
    "he_normal.divided_by_fan_in": "표준편차가 {std}입니다. sqrt(fan_in) 대신 fan_in으로 나눴습니다. "
                                   "std = sqrt(2 / fan_in)입니다",
    "he_normal.wrong_std": "표준편차가 {std}인데, He normal의 표준편차는 fan_in = {fan_in}일 때 "
                           "sqrt(2 / fan_in) = {want}입니다",
    # 연습 문제 2: xavier_uniform_bound(shape, gain) -> a, shape는 torch의 레이아웃 (out, in, *kernel)
    "xavier_uniform_bound.hint": "출력 값 하나가 더하는 입력의 수(fan_in)와 입력 값 하나가 들어가는 출력의 "
                                 "수(fan_out)를 커널까지 포함해 세세요. 그다음 U(-a, a)가 Glorot의 규칙이 요구하는 "
                                 "분산을 갖게 하는 a를 구하세요. 게인은 퍼짐에 곱하는 값입니다",
    "xavier_uniform_bound.ok": "Linear 가중치에서도 합성곱 커널에서도 경곗값이 torch의 xavier_uniform_과 "
                               "똑같이 gain * sqrt(6 / (fan_in + fan_out))입니다.",
    "xavier_uniform_bound.normal_std": "이 값은 Xavier의 *정규분포* 표준편차 gain * sqrt(2 / (fan_in + fan_out))"
                                       "입니다. U(-a, a)의 표준편차는 a / sqrt(3)이므로 경곗값은 표준편차의 "
                                       "sqrt(3)배입니다. gain * sqrt(6 / (fan_in + fan_out))을 쓰세요",
    "xavier_uniform_bound.lecun_std": "강의 노트와 밑바닥부터 시작하는 딥러닝이 'Xavier'라고 부르는 sqrt(1 / n)은 "
                                      "사실 LeCun의 정규분포 표준편차입니다. Glorot의 균일분포 경곗값은 두 팬을 "
                                      "평균합니다. gain * sqrt(6 / (fan_in + fan_out))을 쓰세요",
    "xavier_uniform_bound.lecun_bound": "이 값은 fan_in만 쓰는 LeCun의 균일분포 경곗값 sqrt(3 / fan_in)입니다. "
                                        "Xavier는 두 팬을 모두 씁니다. gain * sqrt(6 / (fan_in + fan_out))을 쓰세요",
    "xavier_uniform_bound.fan_in_only": "fan_in만 썼습니다(sqrt(6 / fan_in)은 He uniform의 경곗값입니다). "
                                        "Xavier는 순방향 규칙과 역방향 규칙을 평균합니다. "
                                        "gain * sqrt(6 / (fan_in + fan_out))을 쓰세요",
    "xavier_uniform_bound.fan_out_only": "fan_out만 썼습니다. Xavier는 순방향 규칙과 역방향 규칙을 평균합니다. "
                                         "gain * sqrt(6 / (fan_in + fan_out))을 쓰세요",
    "xavier_uniform_bound.no_sqrt": "제곱근을 빠뜨렸습니다. 경곗값은 gain * sqrt(6 / (fan_in + fan_out))입니다",
    "xavier_uniform_bound.three": "Xavier 가중치의 분산은 2 / (fan_in + fan_out)이고 U(-a, a)의 분산은 "
                                  "a^2 / 3이므로, a^2은 3 / (fan_in + fan_out)이 아니라 6 / (fan_in + fan_out)"
                                  "입니다",
    "xavier_uniform_bound.no_gain": "게인을 무시했습니다. 경곗값에 gain을 곱하세요(torch의 calculate_gain에 "
                                    "따르면 tanh는 5/3)",
    "xavier_uniform_bound.gain_inside": "게인이 제곱근 안에 있습니다. 게인은 표준편차(와 경곗값)에 곱하는 값이라 "
                                        "분산은 gain^2배가 됩니다. gain * sqrt(6 / (fan_in + fan_out))을 쓰세요",
    "xavier_uniform_bound.gain_squared": "게인을 제곱했습니다. 게인은 경곗값에 한 번만 곱합니다. "
                                         "gain * sqrt(6 / (fan_in + fan_out))을 쓰세요",
    "xavier_uniform_bound.no_kernel": "Linear 가중치에는 맞지만, 합성곱 커널 (out, in, kh, kw)에서는 출력 값 "
                                      "하나가 입력 in * kh * kw개를 더하고, 입력 값 하나가 출력 out * kh * kw개로 "
                                      "들어갑니다. 두 팬 모두에 커널 크기 kh * kw를 곱하세요",
    "xavier_uniform_bound.kernel_in_fan_in_only": "커널 크기는 fan_out에도 들어가야 합니다. 입력 값 하나가 출력 "
                                                  "값 out * kh * kw개로 들어가므로 fan_out = out * kh * kw입니다",
    "xavier_uniform_bound.sum_of_shape": "Linear 가중치에는 맞지만, 커널에서 fan_in + fan_out은 모양의 수들을 "
                                         "모두 더한 값이 아닙니다. 각 팬은 곱입니다. fan_in = in * kh * kw, "
                                         "fan_out = out * kh * kw입니다",
    # 연습 문제 3: predictions = {"A": 모양, ..., "E": 모양}
    "histogram_predictions.ok": "다섯 예측 모두 시뮬레이션한 히스토그램과 맞습니다.",
    "histogram_predictions.not_dict": "{{'A': 'ends', 'B': ...}} 같은 dict를 넘기세요. 지금 넘긴 것은 "
                                      "{got}입니다",
    "histogram_predictions.missing": "모든 설정을 예측하세요. 빠진 설정: {missing}",
    "histogram_predictions.not_answered": "아직 답하지 않았습니다: {which}의 None을 'ends', 'middle', "
                                          "'shrinks', 'steady' 중 하나로 바꾸세요. 힌트: 설정마다 유닛 입력 합의 "
                                          "표준편차(입력 100개 x 가중치의 분산)를 어림하고, 활성화 함수가 그런 "
                                          "값을 어디로 보내는지 생각해 보세요",
    "histogram_predictions.unknown_shape": "설정 {setting}의 예측 {got}: {shapes} 중 하나가 아닙니다",
    "histogram_predictions.wrong_A": "예측 5개 중 {n_wrong}개가 틀렸습니다. A(시그모이드, 표준편차 1인 가중치)의 "
                                     "예측은 {said}이지만, 실제로는 활성화 값이 양 끝('ends')에 쏠립니다. 가장 덜 "
                                     "쏠린 층에서도 {ends}가 0 또는 1에서 0.05 이내에 있습니다. 표준편차 1인 "
                                     "가중치는 각 유닛에 표준편차 약 10인 입력 합을 줍니다(분산 ~1인 입력 100개). "
                                     "시그모이드의 평평한 꼬리 깊숙한 곳이라 출력이 거의 0 아니면 1입니다",
    "histogram_predictions.wrong_B": "예측 5개 중 {n_wrong}개가 틀렸습니다. B(시그모이드, 표준편차 0.01인 "
                                     "가중치)의 예측은 {said}이지만, 실제로는 활성화 값이 가운데('middle')에 "
                                     "몰립니다. 가장 덜 몰린 층에서도 {middle}가 0.5에서 0.1 이내에 있습니다"
                                     "(표준편차는 1층에서 {first}, 5층에서 {last}). 표준편차 0.01인 가중치는 "
                                     "표준편차 약 0.1 이하의 입력 합을 주고, 거기서는 sigmoid(z) ~ 0.5 + z/4입니다. "
                                     "모든 유닛이 거의 0.5를 출력해 모두 같은 값을 냅니다",
    "histogram_predictions.wrong_C": "예측 5개 중 {n_wrong}개가 틀렸습니다. C(ReLU, LeCun normal)의 예측은 "
                                     "{said}이지만, 실제로는 퍼짐이 줄어듭니다('shrinks'). 표준편차가 1층의 "
                                     "{first}에서 5층의 {last}로 떨어집니다. 이 정사각 층에서는 LeCun의 분산 "
                                     "1 / n_in이 Xavier의 분산과 같습니다. 이 분산은 입력을 그대로 통과시키는 "
                                     "활성화 함수라면 분산을 유지하지만, ReLU는 입력의 절반을 0으로 만들므로 "
                                     "층마다 분산이 약 절반이 됩니다",
    "histogram_predictions.wrong_D": "예측 5개 중 {n_wrong}개가 틀렸습니다. D(tanh, 표준편차 1인 가중치)의 "
                                     "예측은 {said}이지만, 실제로는 활성화 값이 양 끝('ends')에 쏠립니다. 가장 덜 "
                                     "쏠린 층에서도 {ends}가 -1 또는 1에서 0.05 이내에 있습니다. tanh도 "
                                     "시그모이드처럼 포화됩니다. 다만 0과 1이 아니라 -1과 1에서 포화되고, 입력 "
                                     "합의 표준편차는 약 10입니다",
    "histogram_predictions.wrong_E": "예측 5개 중 {n_wrong}개가 틀렸습니다. E(ReLU, He uniform)의 예측은 "
                                     "{said}이지만, 실제로는 퍼짐이 일정합니다('steady'). 5개 층에 걸쳐 "
                                     "표준편차가 {low}~{high} 범위에 머뭅니다. He의 균일분포 경곗값은 He "
                                     "표준편차의 sqrt(3)배이므로 가중치는 He의 분산을 가지며, 신호를 실어 나르는 "
                                     "것은 분산입니다. 인수 2가 ReLU에서 사라진 절반을 되돌려 줍니다",
    # 연습 문제 4: leaky_relu_gain(a) -> gain
    "leaky_relu_gain.hint": "std = gain / sqrt(n_in)일 때 다음 층 입력의 분산을 식으로 쓰고"
                            "(E[f(z)^2] = (1 + a^2)/2 E[z^2]를 이용), 그 값이 Var(z)와 같아지게 하세요. 게인은 "
                            "분산이 아니라 표준편차에 곱하는 값입니다",
    "leaky_relu_gain.ok": "모든 기울기 a에서 게인이 sqrt(2 / (1 + a^2))입니다. a = 0이면 sqrt(2), a = 1이면 "
                          "1입니다.",
    "leaky_relu_gain.no_sqrt": "제곱근을 빠뜨렸습니다. 게인은 표준편차에 곱하는 값이고, 2 / (1 + a^2)는 분산에 "
                               "곱하는 인수입니다",
    "leaky_relu_gain.one_plus_a": "음수 쪽 절반은 a*z를 내보내고, 그 제곱은 a^2 z^2입니다. 인수는 1 + a가 "
                                  "아니라 1 + a^2입니다",
    "leaky_relu_gain.ignores_slope": "게인이 기울기 a를 무시합니다. sqrt(2)는 일반 ReLU(a = 0)의 게인입니다. "
                                     "a > 0이면 잃는 분산이 더 적습니다",
    "leaky_relu_gain.upside_down": "게인이 뒤집혔습니다. 리키 ReLU는 분산을 잃으므로 게인은 1 이상이어야 합니다. "
                                   "sqrt(2 / (1 + a^2))를 쓰세요",
    "leaky_relu_gain.linear": "게인 1로 분산이 유지되는 것은 선형 유닛(a = 1)일 때뿐입니다. 리키 ReLU에는 "
                              "sqrt(2 / (1 + a^2))가 필요합니다",
}
