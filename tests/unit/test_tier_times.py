from tests.support.tier_times import tier_of


def test_a_test_belongs_to_the_tier_of_its_folder():
    assert tier_of("tests/unit/test_links.py::test_a_link_expires") == "unit"
    assert tier_of("tests/browser/test_speaker_journey.py::test_x[phone]") == "browser"


def test_anything_outside_a_tier_folder_is_other():
    assert tier_of("tests/test_loose.py::test_x") == "other"
    assert tier_of("benchmarks/test_x.py::test_y") == "other"
