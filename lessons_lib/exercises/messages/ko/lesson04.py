"""레슨 04 자가 점검의 메시지 (한국어). 키: 연습문제.실수; ``.hint``는 빈 함수일 때 보여 줍니다."""

MESSAGES = {
    # 연습 문제 1: adagrad_effective_lr(grads, lr, eps) -> rates
    "adagrad_effective_lr.hint": "AdaGrad의 누적합 s는 grads의 모든 행으로 만듭니다. 각 열(좌표)은 자기 합에서 자기 "
                                 "학습률을 얻습니다(레슨 1절)",
    "adagrad_effective_lr.ok": "지난 기울기가 큰 좌표일수록 학습률이 작고, 합이 커질수록 모든 학습률은 줄어들기만 "
                               "합니다.",
    "adagrad_effective_lr.wrong_axis": "좌표끼리 더했습니다(axis 1). 스텝에 걸쳐 더해서(axis 0) 좌표마다 학습률을 "
                                       "하나씩 구하세요",
    "adagrad_effective_lr.mean": "g**2의 평균을 썼습니다(RMSProp 같은 평균). AdaGrad는 이력 전체를 더하므로 "
                                 "학습률이 계속 줄어듭니다",
    "adagrad_effective_lr.last_only": "여러분의 학습률에는 마지막 기울기만 반영됩니다. AdaGrad는 모든 스텝에 걸친 "
                                      "합의 제곱근으로 나눕니다",
    "adagrad_effective_lr.no_sqrt": "제곱근이 빠졌습니다: lr / (sqrt(sum of g**2) + eps). 그래야 학습률과 기울기의 "
                                    "곱이 매개변수의 단위를 가집니다",
    "adagrad_effective_lr.summed_g": "g**2가 아니라 g를 더했습니다. 양의 기울기와 음의 기울기가 서로 상쇄됩니다. "
                                     "먼저 제곱하세요",
    "adagrad_effective_lr.upside_down": "분자와 분모가 뒤집혔습니다. 학습률은 lr을 sqrt(sum of g**2)로 나눈 것이지, "
                                        "곱한 것이 아닙니다",
    # 연습 문제 2: corrected_averages(values, beta) -> averages
    "corrected_averages.hint": "0에서 출발하는 이동 평균 m을 두고, 스텝 t = 1, 2, ...마다 Adam처럼 보정하세요"
                               "(레슨 7절)",
    "corrected_averages.ok": "일정한 수열의 보정된 평균은 맨 첫 값부터 그 상수입니다. 보정은 바로 이것을 위해 "
                             "있습니다.",
    "corrected_averages.uncorrected": "이것은 보정하지 않은 이동 평균 m_t로, 초반에 0 쪽으로 치우쳐 있습니다. "
                                      "각각을 1 - beta**t로 나누세요",
    "corrected_averages.stored_correction": "보정한 값을 m에 다시 저장해서 보정이 거듭 쌓였습니다. m은 보정하지 "
                                            "않은 채로 두고, 출력하는 값만 보정하세요",
    "corrected_averages.off_by_one": "t가 하나 어긋났습니다. 첫 값이 스텝 t = 1이므로 그 평균은 1 - beta**1로 "
                                     "나눕니다(여러분은 t + 1을 썼습니다)",
    "corrected_averages.weights_swapped": "가중치가 뒤바뀌었습니다. m = beta * m + (1 - beta) * x는 이전 평균을 "
                                          "대부분 간직하고 새 값은 조금만 더합니다",
    "corrected_averages.plain_mean": "지금까지 나온 모든 값의 단순 평균을 구했습니다. 지수 이동 평균은 최근 값에 "
                                     "더 큰 가중치를 줍니다(m = beta * m + (1 - beta) * x)",
    # 연습 문제 3: amsgrad_step(p, m, v, v_max, g, t, lr, beta1, beta2, eps) -> (p_new, m_new, v_new, v_max_new)
    "amsgrad_step.hint": "Adam의 스텝(rules.adam)에서 시작하세요. AMSGrad는 스텝을 무엇으로 나누는지만 바꾸고, "
                         "배열을 하나 더 간직합니다",
    "amsgrad_step.ok": "여러분의 AMSGrad 스텝은 모든 테스트 사례에서 torch.optim.Adam(amsgrad=True)와 같습니다.",
    "amsgrad_step.no_step": "p가 변하지 않았습니다. 보정한 최댓값의 제곱근으로 나누어 Adam의 스텝을 내디디세요",
    "amsgrad_step.sign": "부호가 틀렸습니다. 스텝은 1차 모멘트의 반대 방향으로 갑니다(빼세요)",
    "amsgrad_step.plain_adam": "보통의 Adam 스텝입니다. 스텝은 이번 스텝의 v가 아니라 지금까지 본 가장 큰 v, "
                               "곧 v_max_new = maximum(v_max, v_new)로 나눠야 합니다",
    "amsgrad_step.max_of_old_v": "최댓값에는 이번 스텝의 v도 들어가야 합니다. v를 먼저 갱신한 다음 "
                                 "v_max_new = maximum(v_max, v_new)를 구하세요",
    "amsgrad_step.max_of_corrected": "보정한 v_hat의 최댓값을 간직했습니다. PyTorch는 보정하지 않은 v의 최댓값을 "
                                     "간직하고, 스텝에서 sqrt(v_max_new / (1 - beta2**t))로 보정합니다",
    "amsgrad_step.no_correction": "편향 보정이 없는, 처음 발표된 형태의 AMSGrad입니다. "
                                  "torch.optim.Adam(amsgrad=True)는 Adam의 두 보정을 그대로 씁니다",
    "amsgrad_step.state_not_returned": "스텝은 맞지만 반환한 상태가 틀렸습니다. m_new와 v_new는 Adam이 저장하는 "
                                       "그대로, 그리고 v_max_new = maximum(v_max, v_new)를 반환하세요",
    # 연습 문제 4: adamw_step(p, m, v, g, t, lr, beta1, beta2, eps, weight_decay) -> (p_new, m_new, v_new)
    "adamw_step.hint": "AdamW는 p에 두 가지 일을 차례로 합니다. 먼저 기울기를 건드리지 않는 감쇠, 그다음 Adam의 "
                       "보통 스텝입니다(레슨 9절)",
    "adamw_step.ok": "여러분의 AdamW 스텝은 모든 테스트 사례에서 torch.optim.AdamW와 같습니다.",
    "adamw_step.no_decay": "weight_decay가 아무 효과도 없습니다. 이것은 보통의 Adam 스텝입니다. 먼저 p를 "
                           "(1 - lr * weight_decay)배로 줄이세요",
    "adamw_step.l2_in_gradient": "기울기에 weight_decay * p를 더했습니다. 이는 Adam의 L2 규제"
                                 "(Adam(weight_decay=...))로, sqrt(v)로 나누는 과정에서 크기가 달라집니다. AdamW는 "
                                 "기울기는 그대로 두고 p를 직접 줄입니다",
    "adamw_step.decay_without_lr": "감쇠 인자에 학습률이 빠졌습니다. AdamW는 p에 1 - weight_decay가 아니라 "
                                   "1 - lr * weight_decay를 곱합니다",
    "adamw_step.decay_after_step": "PyTorch의 AdamW에서는 감쇠가 먼저입니다. p를 줄인 다음 Adam 스텝을 "
                                   "내디디세요(여러분은 스텝의 결과를 줄였습니다)",
    "adamw_step.sign": "감쇠의 부호가 틀렸습니다. 감쇠는 p를 줄입니다. 1 - lr * weight_decay를 곱하세요",
    "adamw_step.moments_not_returned": "스텝은 맞지만 반환한 모멘트가 틀렸습니다. Adam이 저장하는 대로 (편향 보정 "
                                       "전의) m_new와 v_new를 반환하세요",
}
