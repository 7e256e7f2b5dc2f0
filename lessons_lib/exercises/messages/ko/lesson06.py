"""레슨 06의 자가 점검 메시지 (한국어). 키: 연습 문제.실수; ``.hint``는 빈 함수에 보여 줍니다."""

MESSAGES = {
    # 연습 문제 1: 다섯 실행 진단하기, {"A": ..., ..., "E": ...}
    "diagnosis.ok": "다섯 진단이 모두 맞습니다. 출발점을 보면 나쁜 초기화가, 그 뒤의 곡선을 보면 나쁜 학습률이 "
                    "드러납니다.",
    "diagnosis.not_answered": "아직 답하지 않았습니다: 각 None을 {choices} 중 하나로 바꾸세요. 힌트: 먼저 각 "
                              "실행을 첫 스텝 전(학습률이 아직 작용하지 않은 때)에서 살펴보고, 그다음에 곡선을 "
                              "보세요",
    "diagnosis.not_a_dict": "{{'A': 'fine', 'B': ...}}처럼 실행마다 진단 하나를 담은 dict를 넘기세요. 지금 넘긴 "
                            "것은 {got}입니다",
    "diagnosis.missing": "모든 실행을 진단하세요: {runs}의 진단이 아직 없습니다",
    "diagnosis.unknown": "실행 {run}의 진단 {said}: {choices} 중 하나가 아닙니다",
    "diagnosis.unknown_runs": "그런 실행은 없습니다: {keys}. 실행 이름은 {runs}입니다(표에서처럼 대문자)",
    "diagnosis.lr_for_init": "진단 {total}개 중 {wrong}개가 틀렸습니다. 실행 {run}: 학습률을 탓했지만, 이 실행은 "
                             "학습률이 아직 작용하지 않은 첫 스텝 전부터 이미 탈이 나 있습니다. 스텝 0의 손실과 "
                             "층별 통계를 실행 C와 비교해 보세요",
    "diagnosis.init_for_lr": "진단 {total}개 중 {wrong}개가 틀렸습니다. 실행 {run}: 초기화를 탓했지만, 이 실행은 "
                             "실행 C와 똑같이 시작합니다(스텝 0의 손실, 활성화 값 표준편차, 기울기가 같음). 그러니 "
                             "문제는 스텝을 밟는 방식에서 옵니다",
    "diagnosis.init_direction": "진단 {total}개 중 {wrong}개가 틀렸습니다. 실행 {run}: 범인은 초기화가 맞지만 "
                                "방향이 반대입니다. 스텝 0의 손실이 ln 10보다 한참 위인가요, 아니면 ln 10에 딱 "
                                "붙어 있고 활성화 값이 층마다 사그라드나요?",
    "diagnosis.lr_direction": "진단 {total}개 중 {wrong}개가 틀렸습니다. 실행 {run}: 범인은 학습률이 맞지만 "
                              "방향이 반대입니다. 스텝 1의 갱신 대 가중치 비율이 실행 C(약 1e-3)보다 한참 "
                              "아래인가요, 한참 위인가요? 손실이 기어가나요, 튀어 오르나요?",
    "diagnosis.not_fine": "진단 {total}개 중 {wrong}개가 틀렸습니다. 실행 {run}: 정상이 아닙니다. 표에서 이 "
                          "실행의 행과 손실 곡선을 실행 C와 비교해 보세요",
    "diagnosis.is_fine": "진단 {total}개 중 {wrong}개가 틀렸습니다. 실행 {run}: 이 실행은 건강합니다. 스텝 0의 "
                         "손실이 ln 10 근처이고, 활성화 값 표준편차가 안정적이며, 갱신 비율이 약 1e-3이고, "
                         "손실이 꾸준히 줄어듭니다",
    # 연습 문제 2: constant_guess_loss(class_counts) -> loss
    "constant_guess_loss.hint": "이미지를 클래스별로 묶어 보세요. 클래스 k의 이미지 한 장은 손실이 얼마이고, 전체 "
                                "이미지 중 클래스 k의 비율은 얼마인가요?",
    "constant_guess_loss.ok": "-sum_k p_k ln p_k (p_k = n_k / N): 레이블 엔트로피입니다. 균형 잡힌 클래스 "
                              "K개라면 ln K이고, 스텝 0의 손실과 비교할 값이 바로 이것입니다.",
    "constant_guess_loss.uniform": "그 값은 ln K, 곧 모든 클래스에 1/K를 주는 추측의 손실입니다. 이 추측은 각 "
                                   "클래스에 그 클래스가 이미지에서 차지하는 비율 n_k / N을 줍니다",
    "constant_guess_loss.sign": "부호가 틀렸습니다. ln p_k는 음수이고, 이미지 한 장의 손실 -ln p_k는 양수입니다",
    "constant_guess_loss.log2": "밑이 2인 로그(비트)를 썼습니다. 여기서 교차 엔트로피는 자연로그(np.log 또는 "
                                "math.log)를 씁니다",
    "constant_guess_loss.log10": "밑이 10인 로그를 썼습니다. 교차 엔트로피는 자연로그(np.log 또는 math.log)를 "
                                 "씁니다",
    "constant_guess_loss.unweighted": "-ln p_k를 클래스에 대해 평균했습니다. 손실은 이미지에 대한 평균이므로 각 "
                                      "클래스를 그 이미지 수만큼 세어야 합니다. p_k로 가중하세요",
    "constant_guess_loss.unweighted_sum": "-ln p_k를 클래스마다 한 번씩 더했습니다. 손실은 이미지에 대한 "
                                          "평균이므로 각 클래스를 이미지에서 차지하는 비율만큼 세어야 합니다. "
                                          "p_k로 가중하세요",
    "constant_guess_loss.mean_over_classes": "클래스 수 K로 나눴습니다(항 p_k ln p_k에 대한 np.mean). 가중치 "
                                             "p_k가 이미 이미지에 대한 평균을 만들어 주므로 항들을 그냥 더하세요",
    "constant_guess_loss.total": "그 값은 이미지 N장 전체의 손실 합계입니다. 손실은 그 평균입니다. N으로 "
                                 "나누세요(또는 n_k 대신 p_k = n_k / N으로 가중하세요)",
    "constant_guess_loss.counts_in_log": "로그 안에는 개수 n_k가 아니라 확률 p_k = n_k / N이 들어갑니다",
    "constant_guess_loss.zero_class": "이미지가 없는 클래스는 0 * ln 0이 됩니다(numpy에서는 nan, math.log에서는 "
                                      "오류). 손실을 낼 이미지가 없으니 0을 더하는 셈입니다. 그 클래스는 빼세요",
    # 연습 문제 3: update_ratio(before, after) -> 배열마다 비율 하나
    "update_ratio.hint": "배열 쌍마다 변화량과 변화 전의 가중치를 np.linalg.norm으로 재고, 둘을 견주어 보세요. "
                         "배열마다 수 하나입니다",
    "update_ratio.ok": "배열마다 비율이 ||after - before|| / ||before||입니다. 경험칙: 스텝마다 약 1e-3이면 "
                       "건강합니다. 1e-5 이하이면 학습률이 너무 작고, 1e-2 이상이면 너무 크다는 신호입니다(초기화가 "
                       "멀쩡한지 먼저 확인한 뒤에).",
    "update_ratio.not_relative": "갱신의 크기 ||after - before||를 ||before||로 나누지 않고 반환했습니다. 크기와 "
                                 "규모가 서로 다른 층끼리 비교할 수 있도록 비율은 상대적이어야 합니다",
    "update_ratio.upside_down": "비율이 뒤집혔습니다. 갱신의 노름을 가중치의 노름으로 나누세요: "
                                "||after - before|| / ||before||",
    "update_ratio.after_norm": "스텝 *후*의 노름으로 나눴습니다. 스텝 전의 가중치 ||before||를 쓰세요",
    "update_ratio.norm_difference": "노름의 차 ||after|| - ||before||는 차의 노름이 아닙니다. 한 스텝이 가중치의 "
                                    "길이는 그대로 두고 방향만 크게 돌릴 수도 있습니다. ||after - before||를 쓰세요",
    "update_ratio.elementwise": "그 값은 원소별 비율 |after - before| / |before|의 평균인데, 아주 작은 가중치가 "
                                "이 값을 터무니없이 키웁니다. 배열 전체의 노름을 쓰세요",
    "update_ratio.wrong_values": "비율은 {want}이어야 하는데 {got}입니다. 코드를 ||after - before|| / "
                                 "||before||와 배열별로 비교해 보세요",
    "update_ratio.one_for_all": "모든 배열을 합쳐 비율 하나를 반환했습니다. 층마다 학습 속도가 다르므로 배열마다 "
                                "하나씩 반환하세요",
}
