"""레슨 03 자가 점검의 메시지 (한국어). 키: 연습문제.실수; ``.hint``는 빈 함수일 때 보여 줍니다."""

MESSAGES = {
    # 연습 문제 1: momentum_step(p, v, g, lr, momentum) -> (p_new, v_new), 교과서의 속도 형태
    "momentum_step.hint": "여기서 속도 v는 스텝 그 자체(매개변수 단위)입니다. 먼저 이전 속도와 기울기로 새 속도를 "
                          "만들고, 그만큼 p를 움직이세요",
    "momentum_step.ok": "여러분의 모멘텀 스텝은 교과서의 헤비볼 방법 그대로입니다. v = -lr * b로 두면 PyTorch의 "
                        "SGD(momentum=...)와 스텝마다 같습니다.",
    "momentum_step.no_step": "p가 변하지 않았습니다. 새 속도만큼 움직이세요: p_new = p + v_new",
    "momentum_step.sign": "부호가 틀렸습니다. 속도에는 -lr * g(내리막 방향)가 더해집니다: v_new = momentum * v - lr * g",
    "momentum_step.plain_sgd": "속도를 무시하고 기본 SGD 스텝 p - lr * g로 움직였습니다. "
                               "v_new = momentum * v - lr * g만큼 움직이세요",
    "momentum_step.old_velocity": "p를 이전 속도 v만큼 움직였습니다. 먼저 속도를 갱신하고(v_new = momentum * v - lr * g) "
                                  "그다음 p_new = p + v_new로 움직이세요",
    "momentum_step.dampened": "기울기에 (1 - momentum)을 곱했습니다. 이는 평균을 내는 방식(PyTorch의 dampening)입니다. "
                              "헤비볼은 momentum * v에 -lr * g를 그대로 더합니다",
    "momentum_step.momentum_on_gradient": "momentum을 이전 속도가 아니라 기울기에 곱했습니다: "
                                          "v_new = momentum * v - lr * g",
    "momentum_step.torch_buffer": "속도를 기울기 단위로 유지하는 PyTorch의 버퍼 형태(b = momentum * b + g, "
                                  "p - lr * b)로 썼습니다. 여기서 v는 매개변수 단위입니다: v_new = momentum * v - lr * g, "
                                  "p_new = p + v_new",
    "momentum_step.velocity_not_returned": "스텝은 맞지만 반환한 속도가 틀렸습니다. "
                                           "v_new = momentum * v - lr * g를 반환하세요",
    # 연습 문제 2: nesterov_step(p, v, g, lr, momentum) -> (p_new, v_new), g는 p에서의 기울기
    "nesterov_step.hint": "속도는 기본 모멘텀과 똑같이 갱신합니다. 그다음 p는 다음 예견 지점으로 움직이는데, "
                          "그 지점은 p + v_new가 아닙니다(4절의 대입)",
    "nesterov_step.ok": "예견 지점을 기준으로 쓴 네스테로프 스텝입니다. v = -lr * b로 두면 PyTorch의 "
                        "SGD(nesterov=True)와 같습니다.",
    "nesterov_step.no_step": "p가 변하지 않았습니다. p_new = p + momentum * v_new - lr * g를 적용하세요",
    "nesterov_step.sign": "부호가 틀렸습니다. 속도에는 -lr * g가 더해지고, 추가 기울기 항도 -lr * g입니다",
    "nesterov_step.plain_momentum": "기본 모멘텀처럼 p + v_new로 움직였습니다(이전 속도로 예견한 "
                                    "p + momentum * v - lr * g도 같은 값입니다). 네스테로프는 "
                                    "p + momentum * v_new - lr * g로 움직입니다",
    "nesterov_step.no_gradient_term": "기울기 항이 빠졌습니다. p + momentum * v_new가 아니라 "
                                      "p_new = p + momentum * v_new - lr * g입니다",
    "nesterov_step.dlfs_form": "『밑바닥부터 시작하는 딥러닝』의 Nesterov 클래스와 같은 식입니다(새 속도에 momentum**2를 "
                               "곱하고 (1 + momentum) * lr * g를 뺌). 이는 PyTorch와 Keras가 쓰는 규칙이 아닙니다. "
                               "momentum * v_new - lr * g만큼 움직이세요",
    "nesterov_step.torch_buffer": "PyTorch의 버퍼 형태(기울기 단위)로 썼습니다. 여기서 v는 매개변수 단위입니다: "
                                  "v_new = momentum * v - lr * g, p_new = p + momentum * v_new - lr * g",
    "nesterov_step.velocity_not_returned": "스텝은 맞지만 반환한 속도가 틀렸습니다. "
                                           "v_new = momentum * v - lr * g를 반환하세요",
    # 연습 문제 3: critical_momentum(lr, L) -> (momentum, rate)
    "critical_momentum.hint": "f = L/2 x^2 위의 헤비볼은 x_(t+1) = (1 + momentum - lr L) x_t - momentum x_(t-1)을 "
                              "따릅니다. 특성 방정식이 중근을 갖게 하는 momentum을 찾으세요",
    "critical_momentum.ok": "맞습니다. sqrt(momentum) = 1 - sqrt(lr L)이고, 이때 거리는 스텝마다 1 - sqrt(lr L)배로 "
                            "줄어듭니다. 경사 하강법은 1 - lr L배입니다.",
    "critical_momentum.swapped": "두 값의 순서가 바뀌었습니다. (momentum, rate) 순서로 반환하세요",
    "critical_momentum.rate_as_momentum": "반환한 값은 스텝당 비율인 sqrt(momentum)이지 momentum 자체가 "
                                          "아닙니다. 제곱하세요",
    "critical_momentum.no_sqrt": "중근 조건에서 sqrt(lr L)이 들어갈 자리에 lr L을 썼습니다. "
                                 "(1 + momentum - lr L)^2 = 4 momentum은 sqrt(momentum) = 1 - sqrt(lr L)이라는 뜻입니다",
    "critical_momentum.gd_rate": "1 - lr L은 경사 하강법의 스텝당 비율입니다. 모멘텀을 쓰면 중근은 "
                                 "r = sqrt(momentum)입니다",
    "critical_momentum.rate_is_momentum": "스텝당 비율은 momentum 자체가 아니라 중근 r = sqrt(momentum)입니다",
    "critical_momentum.other_root": "sqrt(momentum) = 1 + sqrt(lr L)에서도 두 근이 만나지만, 그때 중근은 1보다 "
                                    "커서 공이 튕겨 나갑니다. 1보다 작은 근을 고르세요",
    # 연습 문제 4: weight_decay_step(p, g, lr, weight_decay) -> p_new
    "weight_decay_step.hint": "가중치 감쇠는 |p|^2에 거는 규제 항의 기울기입니다. 평소처럼 스텝을 진행하기 전에 "
                              "g에 항 하나를 더합니다",
    "weight_decay_step.ok": "모든 테스트 사례에서 PyTorch의 SGD(weight_decay=...)와 같은 스텝입니다.",
    "weight_decay_step.no_decay": "weight_decay가 아무 효과가 없습니다. 스텝을 진행하기 전에 기울기에 "
                                  "weight_decay * p를 더하세요",
    "weight_decay_step.no_step": "p가 변하지 않았습니다. p_new = p - lr * (g + weight_decay * p)를 계산하세요",
    "weight_decay_step.sign": "감쇠 항의 부호가 틀렸습니다. 감쇠는 p를 0 쪽으로 끌어당기므로 기울기에 "
                              "+ weight_decay * p가 더해집니다",
    "weight_decay_step.lr_schedule": "대신 학습률을 낮췄습니다. 이는 강의 노트의 `decay`(스케줄)입니다. "
                                     "weight_decay는 기울기에 weight_decay * p를 더합니다",
    "weight_decay_step.decay_without_lr": "감쇠 항에 학습률이 빠졌습니다. p - lr * g - weight_decay * p는 "
                                          "p를 lr 없이 weight_decay 비율 그대로 줄입니다. 기울기 전체 g + weight_decay * p에 "
                                          "lr을 곱해야 합니다",
    "weight_decay_step.penalty_not_gradient": "규제 항 weight_decay/2 * p**2 자체를 더했습니다. 그 기울기인 "
                                              "weight_decay * p를 더하세요",
    "weight_decay_step.double_penalty": "weight_decay * |p|^2의 기울기인 2 * weight_decay * p를 더했습니다. "
                                        "PyTorch의 규제 항은 weight_decay/2 * |p|^2이고, 그 기울기는 "
                                        "weight_decay * p입니다",
}
