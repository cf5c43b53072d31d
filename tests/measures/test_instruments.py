from __future__ import annotations

import tomllib

import pytest

from afterglow.measures import instruments as registry
from afterglow.measures.instruments import InstrumentDataError, instruments, parse

PFIZER = "No permission required to reproduce, translate, display or distribute."


def raw(name: str) -> dict:
    return tomllib.loads((registry.FOLDER / f"{name}.toml").read_text(encoding="utf-8"))


def test_it_ships_the_three_instruments_in_order():
    assert list(instruments()) == ["phq9", "gad7", "pcl5"]


def test_phq9_has_the_published_items_codes_and_bands():
    phq9 = instruments()["phq9"]
    scored = phq9.scored_items
    assert len(scored) == 9 and phq9.max_total == 27 and phq9.recall == "Over the last 2 weeks"
    assert scored[0].text == "Little interest or pleasure in doing things"
    assert scored[8].text == "Thoughts that you would be better off dead or of hurting yourself in some way"
    assert [i.loinc for i in scored] == [
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8",
    ]  # fmt: skip
    assert (phq9.loinc_panel, phq9.loinc_total, phq9.crisis_item) == ("44249-1", "44261-6", 9)
    assert [o.loinc for o in scored[0].options] == ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    assert [(b.low, b.high, b.name) for b in phq9.bands] == [
        (0, 4, "Minimal"), (5, 9, "Mild"), (10, 14, "Moderate"), (15, 19, "Moderately severe"), (20, 27, "Severe"),
    ]  # fmt: skip
    assert PFIZER in phq9.attribution and "Pfizer" in phq9.attribution
    difficulty = phq9.items[9]
    assert not difficulty.scored and difficulty.loinc == "69722-7"


def test_gad7_has_the_published_items_codes_and_bands():
    gad7 = instruments()["gad7"]
    assert len(gad7.scored_items) == 7 and gad7.max_total == 21
    assert [i.loinc for i in gad7.scored_items] == ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
    # The panel code is not the total's code (a common bug in exports).
    assert (gad7.loinc_panel, gad7.loinc_total) == ("69737-5", "70274-6")
    assert [b.high for b in gad7.bands] == [4, 9, 14, 21]
    assert gad7.crisis_item is None and PFIZER in gad7.attribution


def test_pcl5_has_twenty_items_four_clusters_and_a_cutoff():
    pcl5 = instruments()["pcl5"]
    assert len(pcl5.scored_items) == 20 and pcl5.max_total == 80 and pcl5.recall == "In the past month"
    assert [o.label for o in pcl5.items[0].options] == ["Not at all", "A little bit", "Moderately", "Quite a bit", "Extremely"]
    assert {c.key: c.items for c in pcl5.clusters} == {
        "B": (1, 2, 3, 4, 5), "C": (6, 7), "D": (8, 9, 10, 11, 12, 13, 14), "E": (15, 16, 17, 18, 19, 20),
    }  # fmt: skip
    assert [c.needs for c in pcl5.clusters] == [1, 1, 2, 2]
    assert 31 <= pcl5.cutoff <= 33 and "National Center for PTSD" in pcl5.attribution


def test_the_schema_check_refuses_bands_with_a_gap():
    data = raw("phq9")
    data["bands"][1]["low"] = 6
    with pytest.raises(InstrumentDataError, match="without gaps"):
        parse(data)


def test_the_schema_check_refuses_a_wrong_maximum_and_missing_attribution():
    data = raw("gad7")
    data["max_total"] = 20
    with pytest.raises(InstrumentDataError, match="max_total"):
        parse(data)
    data = raw("gad7")
    del data["attribution"]
    with pytest.raises(InstrumentDataError, match="attribution"):
        parse(data)


def test_the_schema_check_refuses_items_out_of_order_and_unknown_cluster_items():
    data = raw("pcl5")
    data["items"][3]["number"] = 9
    with pytest.raises(InstrumentDataError, match="numbered"):
        parse(data)
    data = raw("pcl5")
    data["clusters"][0]["items"] = [1, 21]
    with pytest.raises(InstrumentDataError, match="cluster B"):
        parse(data)
