from cislog.suggest import closest, did_you_mean


def test_a_near_miss_is_offered() -> None:
    assert did_you_mean("titel", ["title", "date"]) == " (did you mean 'title'?)"
    assert did_you_mean("zzz", ["title", "date"]) == ""


def test_a_hint_never_turns_no_into_yes() -> None:
    statuses = ["signed", "signed_with_special_opinion", "not_signed"]

    assert closest("unsigned", statuses) == "not_signed"
    assert closest("not_sigend", statuses) == "not_signed"
    assert closest("signd", statuses) == "signed"
