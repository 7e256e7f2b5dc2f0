"""모든 레슨의 자가 점검이 함께 쓰는 메시지 (한국어)."""

MESSAGES = {
    "label.correct": "정답",
    "label.not_yet": "아직",
    "common.not_written": "빈 함수 그대로입니다: 함수가 아직 None을 반환합니다(또는 NotImplementedError를 "
                          "일으킵니다). 힌트: {hint}",
    "common.not_callable": "함수를 호출하지 말고 함수 자체를 넘기세요. check(my_function())이 아니라 "
                           "check(my_function)입니다. 지금 넘긴 것은 {got}입니다",
    "common.raised": "함수가 오류를 일으켰습니다: {error}",
    "common.return_n_values": "값 {n}개({names})를 이 순서대로 반환하세요",
    "common.not_numbers": "{name}은(는) 수나 수의 배열이어야 하는데 {got}입니다",
    "common.one_number": "{got}이(가) 아니라 수 하나({what})를 반환하세요",
    "common.wrong_shape": "{name}의 모양이 {got}입니다. {want}이어야 합니다",
    "common.wrong_value": "입력 ({inputs})에서 {name}은(는) {want}이어야 하는데 {got}입니다. 코드를 식과 "
                          "항 하나하나 비교해 보세요",
}
