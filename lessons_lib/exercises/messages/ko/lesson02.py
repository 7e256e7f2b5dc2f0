"""레슨 02 자가 점검의 메시지 (한국어). 키: 연습문제.실수; ``.hint``는 빈 함수일 때 보여 줍니다."""

MESSAGES = {
    # 연습 문제 1: my_minibatches(n, batch_size, rng, drop_last) -> 한 에포크의 인덱스 배열들
    "my_minibatches.hint": "함수가 호출될 때마다 rng에서 샘플 인덱스의 무작위 순서를 하나 뽑고, 그 순서를 앞에서부터 "
                           "연속된 조각으로 자르세요. 끝에 남는 조각을 어떻게 할지는 drop_last가 정합니다",
    "my_minibatches.ok": "에포크마다 모든 샘플이 새 무작위 순서로 많아야 한 번씩, batch_size개짜리 배치로 나옵니다. 짧은 "
                         "마지막 배치는 drop_last에 따라 남기거나 버리고, 빠지는 샘플도 에포크마다 다릅니다.",
    "my_minibatches.not_batches": "배치들을 반환(또는 yield)하세요. 각 배치는 [4, 0, 7]처럼 정수 샘플 인덱스로 된 "
                                  "1차원 배열이나 리스트여야 합니다. 받은 것은 {got}입니다",
    "my_minibatches.no_batch": "n = {n}, batch_size = {batch_size}, drop_last = {drop_last}: 에포크에 배치가 하나도 "
                               "없습니다",
    "my_minibatches.out_of_range": "n = {n}: 인덱스 {index}은(는) 범위를 벗어납니다. 샘플 인덱스는 0부터 "
                                   "n - 1 = {last}까지입니다(경계에서 하나 어긋나지 않았나요?)",
    "my_minibatches.repeated": "n = {n}, batch_size = {batch_size}: 샘플 {sample}이(가) 한 에포크에 {times}번 "
                               "나옵니다. 서로 독립인 무작위 인덱스는 어떤 샘플은 되풀이하고 어떤 샘플은 건너뜁니다. "
                               "무작위 순서 하나에서 배치를 잘라 내세요(비복원 추출)",
    "my_minibatches.kept_short": "n = {n}, batch_size = {batch_size}, drop_last = True: 마지막 배치에 남은 샘플 "
                                 "{remainder}개만 들어 있습니다. drop_last = True이면 이 샘플들은 이번 에포크에서 "
                                 "빠지므로, 모든 스텝이 batch_size개 샘플의 평균을 씁니다",
    "my_minibatches.folded": "n = {n}, batch_size = {batch_size}, drop_last = True: 남은 샘플 {remainder}개가 마지막 "
                             "배치에 합쳐졌습니다(last_batch='fold'의 동작입니다). drop_last = True이면 이 샘플들은 "
                             "이번 에포크에서 빠집니다",
    "my_minibatches.dropped_short": "n = {n}, batch_size = {batch_size}, drop_last = False: 남은 샘플 {remainder}개가 "
                                    "빠졌습니다. drop_last = False이면 이 샘플들이 더 작은 마지막 배치가 되어, 한 "
                                    "에포크가 모든 샘플을 한 번씩 씁니다",
    "my_minibatches.skipped": "n = {n}, batch_size = {batch_size}, drop_last = {drop_last}: 에포크에 샘플이 {missing}개 "
                              "모자랍니다. 각 배치가 어디서 시작하고 어디서 끝나는지 확인하세요(경계에서 하나 어긋나지 "
                              "않았나요?)",
    "my_minibatches.sizes": "n = {n}, batch_size = {batch_size}, drop_last = {drop_last}: 배치 크기가 {sizes}입니다. "
                            "{expected}이어야 합니다. 모든 배치는 batch_size개 샘플을 담고, drop_last = False일 때만 "
                            "마지막 배치가 더 작을 수 있습니다",
    "my_minibatches.stored_order": "샘플이 저장된 순서 0, 1, 2, ... 그대로 나옵니다. 미니배치는 무작위 표본이어야 "
                                   "하므로, 인수로 받은 rng로 인덱스를 섞으세요",
    "my_minibatches.not_reproducible": "재현되지 않습니다: 시드가 같은 두 생성기가 서로 다른 순서를 냈습니다. "
                                       "np.random이나 새 생성기가 아니라 인수로 받은 rng에서 뽑으세요",
    "my_minibatches.same_order_each_epoch": "같은 rng로 두 에포크를 돌렸더니 순서가 똑같습니다. 호출할 때마다 rng에서 "
                                            "새 순서를 뽑으세요(함수 안에서 시드를 고정한 새 생성기를 만들지 "
                                            "마세요)",
    "my_minibatches.same_left_out": "drop_last = True에서 샘플 {never}이(가) 30 에포크 내내 빠졌습니다. 먼저 n개 "
                                    "인덱스를 모두 섞고 맨 뒤로 간 샘플들을 빼서, 에포크마다 다른 샘플이 빠지게 하세요",
    # 연습 문제 2: batch_for_noise(sigma2, N, target) -> 가장 작은 배치 크기 B
    "batch_for_noise.hint": "3절의 기울기 잡음은 B가 커질수록 줄어듭니다. 잡음이 target 이하가 되는 첫 B를 찾으세요"
                            "(B에 대한 반복문도 되고, 부등식을 B에 대해 풀어도 됩니다)",
    "batch_for_noise.ok": "유한모집단 수정계수를 넣어, 잡음이 목표 이하가 되는 가장 작은 배치를 찾았습니다. 비복원 "
                          "추출에서는 잡음이 1/B보다 빨리 줄어듭니다.",
    "batch_for_noise.with_replacement": "복원 추출의 1/B 법칙을 썼습니다. 배치는 비복원으로 뽑으며, 수정계수 "
                                        "(N - B)/(N - 1) 때문에 잡음이 더 빨리 줄어드니 더 작은 배치로 충분합니다",
    "batch_for_noise.one_too_small": "1만큼 작습니다: 그 배치 크기에서는 잡음이 아직 목표를 살짝 넘습니다. 이렇게 되는 "
                                     "실수는 두 가지입니다. 풀어서 얻은 B를 내림한 경우(배치 크기는 정수이므로 "
                                     "올림하세요)와, 수정계수를 (N - B)/(N - 1) 대신 (N - B)/N으로 쓴 경우입니다",
    "batch_for_noise.one_too_many": "1만큼 큽니다: 배치 크기를 1 줄여도 이미 목표에 도달합니다. 잡음이 target 이하가 "
                                    "되는 첫 B를 반환하세요(반복문이 어디서 멈추는지, 어떻게 반올림했는지 확인하세요)",
    "batch_for_noise.not_rounded": "배치 크기는 샘플 개수이므로 정수입니다. 목표에 도달하는 가장 작은 정수 B를 "
                                   "반환하세요(올림)",
    "batch_for_noise.std_target": "표준편차가 target에 도달하도록 구했습니다(target의 제곱과 비교했습니다). target은 "
                                  "분산 E|g_B - g|^2 자체의 상한입니다",
    "batch_for_noise.sqrt_law": "분산은 1/B처럼 줄어듭니다. 1/sqrt(B)처럼 줄어드는 것은 표준편차입니다",
    # 연습 문제 3: lr_at_epoch(lr0, decay, epoch, n, batch_size, drop_last) -> lr
    "lr_at_epoch.hint": "5절의 스케줄은 이미 밟은 옵티마이저 스텝 수 k의 함수입니다. 이 에포크의 첫 스텝에서 k가 "
                        "얼마인지 구하세요",
    "lr_at_epoch.ok": "앞선 에포크들의 스텝 수를 drop_last에 따라 짧은 배치를 넣거나 빼서 세고, 그 수만큼 학습률을 "
                      "감쇠시켰습니다.",
    "lr_at_epoch.per_epoch": "에포크마다 한 번 감쇠시켰습니다. TimeDecay는 옵티마이저 스텝을 세며, 한 에포크에는 "
                             "스텝이 여러 번(배치마다 한 번) 있습니다",
    "lr_at_epoch.kept_remainder": "drop_last = True이면 짧은 배치는 스텝이 아닙니다. 한 에포크의 스텝 수는 "
                                  "n // batch_size이고, 여기에 하나를 더하지 않습니다",
    "lr_at_epoch.dropped_remainder": "drop_last = False이면 짧은 마지막 배치도 스텝입니다. 이 스텝도 세세요",
    "lr_at_epoch.counted_this_epoch": "이번 에포크의 스텝까지 셌습니다. 에포크 e의 첫 스텝 앞에는 에포크 "
                                      "0 .. e - 1의 스텝만 있습니다",
    "lr_at_epoch.one_step_late": "한 스텝 늦습니다: k는 이미 밟은 스텝 수이고, 에포크의 첫 스텝은 그 에포크의 다른 "
                                 "어떤 스텝보다도 먼저 실행됩니다",
    "lr_at_epoch.samples_not_steps": "스텝이 아니라 샘플을 셌습니다. 한 스텝은 배치 하나를 통째로 씁니다",
    "lr_at_epoch.fractional_steps": "n / batch_size는 정수 개의 스텝이 아닙니다. 한 에포크에 실제로 있는 배치, 즉 꽉 "
                                    "찬 배치들과 (drop_last에 따라) 짧은 배치를 세세요",
    "lr_at_epoch.epoch_from_one": "여기서 에포크는 0부터 셉니다. 에포크 0의 첫 스텝은 lr0 그대로 실행되고, 에포크 e "
                                  "앞에는 온전한 에포크 e개 분량의 스텝이 있습니다",
    "lr_at_epoch.short_batch_always": "n이 batch_size로 나누어떨어지면 짧은 배치가 없습니다. 그때는 drop_last = "
                                      "False여도 한 에포크의 스텝 수는 n / batch_size이고, 여기에 하나를 더하지 "
                                      "않습니다",
    "lr_at_epoch.exponential": "답한 값은 지수 감쇠 lr0 (1 - decay)^k 입니다. 이 레슨의 감쇠는 시간 기반 감쇠 "
                               "lr0 / (1 + decay k)이며, 훨씬 천천히 줄어듭니다",
    "lr_at_epoch.compounded": "답한 값은 감쇠를 거듭 곱한 lr0 / (1 + decay)^k 입니다. 이 레슨의 감쇠는 1 + decay k로 "
                              "한 번만 나눕니다",
    "lr_at_epoch.grows": "학습률이 커집니다. lr0에 (1 + decay k)를 곱하지 말고 나누세요",
}
