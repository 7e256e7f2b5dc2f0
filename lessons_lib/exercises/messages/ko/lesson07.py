"""레슨 07의 자가 점검 메시지 (한국어). 키: 연습문제.실수; ``.hint``는 아직 작성하지 않은 함수에 보여 줍니다."""

MESSAGES = {
    # 연습 문제 1: steepest_lr(lrs, smoothed) -> lr
    "steepest_lr.hint": "기울기는 학습률이 10배 커질 때 손실이 변하는 양입니다. 곡선이 떨어지는 쪽에서만, "
                        "기울기가 가장 작은 곳(가장 가파르게 내려가는 곳)을 찾으세요",
    "steepest_lr.ok": "레슨의 규칙처럼 모든 테스트 곡선에서 가장 가파르게 떨어지는 지점을 읽어 냅니다.",
    "steepest_lr.minimum": "손실이 가장 낮은 지점의 학습률을 반환했습니다. 그곳은 학습이 막 폭발하려는 지점이지 "
                           "손실이 가장 빠르게 떨어지는 지점이 아닙니다. 손실 자체가 아니라 기울기를 보세요",
    "steepest_lr.minimum_over_10": "그것은 다른 규칙인 최솟값/10입니다. 이 연습 문제는 곡선이 가장 가파르게 "
                                   "떨어지는 지점의 학습률을 묻습니다",
    "steepest_lr.linear_scale": "학습률 1 단위당 기울기를 구했습니다(np.gradient(smoothed, lrs)). 학습률은 일정한 "
                                "배수 간격으로 놓여 있으므로 10배당 기울기를 재세요: np.gradient(smoothed, "
                                "np.log10(lrs))",
    "steepest_lr.forward_difference": "각 점과 다음 점 사이의 기울기(np.diff)를 구해 왼쪽 점의 기울기로 "
                                      "읽었습니다. 레슨의 규칙은 그 점 자체에서 기울기를 읽는 중앙 차분, "
                                      "np.gradient를 씁니다",
    "steepest_lr.steepest_rise": "손실이 가장 빠르게 올라가는 지점(폭발)을 찾았습니다. 제안값은 손실이 가장 "
                                 "빠르게 떨어지는 지점, 곧 최솟값 앞에서 기울기가 가장 작은(가장 가파르게 "
                                 "내려가는) 지점입니다",
    "steepest_lr.index": "배열 안에서 그 점의 위치를 반환했습니다. 그 위치의 학습률 lrs[i]를 반환하세요",
    "steepest_lr.whole_curve": "곡선 전체에서 찾았습니다. 손실은 폭발한 뒤에 다시 가파르게 떨어질 수 있지만(1절의 "
                               "시드 2가 그렇습니다), 그 하강은 최솟값을 지난 뒤라 제안값이 될 수 없습니다. "
                               "손실이 가장 낮은 점까지만 보세요",
    # 연습 문제 2: nearly_dead_share(a, threshold) -> share
    "nearly_dead_share.hint": "먼저 유닛(열)마다 샘플 중 몇 비율에서 활성화되는지(0보다 큰 값을 출력하는지) "
                              "구하세요. 그다음 그 비율이 threshold 미만인 유닛을 세세요",
    "nearly_dead_share.ok": "모든 테스트 층에서 거의 죽은 유닛을 찾아냅니다.",
    "steepest_lr.slope": "가장 가파른 기울기 값 자체(10배당 손실 변화)를 반환했습니다. 그 기울기가 나타나는 "
                         "학습률을 반환하세요",
    "nearly_dead_share.values": "출력값을 `threshold`와 비교했습니다. `threshold`는 샘플의 비율입니다. 각 유닛이 "
                                "샘플 중 어느 비율에서 0보다 큰 값을 출력하는지 구한 다음, 그 비율을 "
                                "`threshold`와 비교하세요",
    "nearly_dead_share.at_least_zero": "ReLU 출력은 음수가 되지 않으므로 a >= 0은 어디서나 참이고, 모든 유닛이 "
                                       "살아 있는 것처럼 보입니다. 유닛은 0보다 큰 값을 출력할 때 활성화됩니다: a "
                                       "> 0",
    "nearly_dead_share.entries": "배열 전체에서 0인 원소의 비율을 반환했습니다. 문제가 묻는 것은 유닛(열)입니다. "
                                 "샘플의 `threshold` 비율 미만에서만 활성화되는 유닛이 거의 죽은 유닛입니다",
    "nearly_dead_share.samples_axis": "샘플마다 유닛들의 평균을 냈습니다(axis=1). 유닛이 활성화되는 비율은 샘플에 "
                                      "대한 평균, 곧 그 유닛의 열을 따라 내려가며 낸 평균입니다(axis=0)",
    "nearly_dead_share.count": "거의 죽은 유닛의 개수를 반환했습니다. 층에서 그 유닛들이 차지하는 비율을 "
                               "반환하세요(유닛 수로 나누세요)",
    "nearly_dead_share.fully_dead": "한 번도 활성화되지 않는 유닛만 셌습니다. 몇몇 샘플, 곧 `threshold` 비율보다 "
                                    "적은 샘플에서만 활성화되는 유닛도 거의 죽은 유닛입니다",
    "nearly_dead_share.at_most": "샘플의 정확히 `threshold` 비율에서 활성화되는 유닛은 거의 죽은 유닛이 아닙니다. "
                                 "<= 가 아니라 < 를 쓰세요",
    "nearly_dead_share.alive": "살아 있는 유닛의 비율을 반환했습니다. 거의 죽은 유닛(샘플의 `threshold` 비율 "
                               "미만에서만 활성화되는 유닛)의 비율을 반환하세요",
    # 연습 문제 3: eos_threshold(lr, momentum) -> sharpness
    "eos_threshold.hint": "f(x) = a x^2 / 2 위에서 모멘텀 한 스텝을 x에 대한 점화식으로 써 보세요. 특성 다항식의 "
                          "두 근의 절댓값이 모두 1보다 작은 동안 안정합니다",
    "eos_threshold.ok": "모멘텀을 쓰면 평탄 구간은 2 (1 + momentum) / lr에 있어, 모멘텀 없는 경사 하강법의 2 / "
                        "lr보다 (1 + momentum)배 높습니다.",
    "eos_threshold.no_momentum": "그것은 모멘텀 없는 경사 하강법의 한계 2 / lr입니다. 모멘텀을 쓰면 한계가 "
                                 "달라집니다. 모멘텀이 0.9이면 한계가 1.9배 높아집니다",
    "eos_threshold.effective_lr": "모멘텀을 쓰면 일정한 경사에서 *꾸준한* 스텝이 lr / (1 - momentum)이 되지만, "
                                  "안정성은 진동하는 모드가 결정하고 그 모드에서는 모멘텀이 안정성을 돕습니다. "
                                  "그래서 한계는 모멘텀과 함께 줄어들지 않고 커집니다",
    "eos_threshold.missing_two": "답이 2배 어긋납니다. momentum이 0일 때 답은 레슨 01의 2 / lr이어야 합니다",
    "eos_threshold.inverted": "위아래가 뒤집혔습니다. 샤프니스는 곡률이고, 한계는 lr이 작아질수록 커지는 (무언가) "
                              "/ lr 꼴입니다",
    "eos_threshold.momentum_added": "거의 맞았지만, -1에 있는 근에서는 2 + momentum이 아니라 2 + 2 momentum이 "
                                    "나옵니다. 점화식에 x_t = (-1)^t를 넣어 보세요",
    "eos_threshold.momentum_divides": "모멘텀은 한계를 낮추지 않고 높입니다. momentum이 0.9이면 한계는 2 / lr의 "
                                      "1.9배입니다",
    # 연습 문제 4: normalize_layer(W, b, A) -> (W_new, b_new)
    "normalize_layer.hint": "층의 출력 z = A @ W + b를 한 번 계산하세요. 그 평균과 표준편차(모든 원소에 대해 각각 "
                            "수 하나)를 보면 W와 b를 어떻게 바꿀지 알 수 있습니다",
    "normalize_layer.ok": "A @ W_new + b_new는 모든 테스트 배치에서 평균 0, 표준편차 1입니다. fast.ai판처럼 "
                          "평균까지 빼는, 정확한 LSUV 스텝 한 번입니다.",
    "normalize_layer.variance": "분산으로 나눴습니다. z를 s(표준편차)로 나누면 표준편차가 1이 되지만, s**2로 "
                                "나누면 표준편차가 1 / s가 됩니다",
    "normalize_layer.bias_not_scaled": "새 출력은 A @ W / s + b_new이므로 편향도 s로 나눠야 합니다: b_new = (b - "
                                       "mean) / s (fast.ai는 편향을 나누지 않고 평균만 빼며 수렴할 때까지 "
                                       "반복합니다. 여기서는 정확한 한 스텝을 묻습니다)",
    "normalize_layer.no_centring": "표준편차는 맞지만 평균이 0이 아닙니다. s로 나누기 전에 편향에서 z의 평균을 "
                                   "빼세요: b_new = (b - mean) / s",
    "normalize_layer.bias_unchanged": "W의 크기는 바꿨지만 b는 그대로 두었습니다. 그러면 출력은 A @ W / s + "
                                      "b이고, 그 평균과 표준편차는 0과 1이 아닙니다. b_new = (b - mean) / s로 "
                                      "바꾸세요",
    "normalize_layer.per_unit": "유닛(열)마다 따로 정규화했습니다. 그것은 배치 정규화가 통계를 내는 방식입니다. "
                                "LSUV는 층 전체를 수 하나로 조정하므로, z의 모든 원소에 대해 평균과 표준편차를 "
                                "구하세요",
    "normalize_layer.sample_std": "표본 표준편차(ddof=1, n - 1로 나누기)를 썼습니다. 층의 출력은 numpy 기본값인 "
                                  "z.std()(n으로 나누기)로 쟀을 때 표준편차가 1이어야 합니다",
    "normalize_layer.output_statistics": "A @ W_new + b_new의 평균이 {mean}, 표준편차가 {std}입니다. 0과 1이어야 "
                                         "합니다. 구한 W_new와 b_new로 A @ W_new + b_new를 풀어 써서 (z - mean) / "
                                         "std와 비교해 보세요",
    "normalize_layer.input_statistics": "입력 A의 평균과 표준편차를 썼습니다. 평균 0, 표준편차 1이 되어야 하는 "
                                        "것은 층의 출력 z = A @ W + b입니다",
}
