"""`whiteboard summary` and `whiteboard receptive-field` on the command line."""

import json

from whiteboard.cli import main


def test_receptive_field_layers_prints_the_seed_example(capsys):
    assert main(["receptive-field", "--layers", "11,4,0 3,2,0 5,1,2 3,2,0 3,1,1",
                 "--input-size", "227"]) == 0
    rows = capsys.readouterr().out.strip().splitlines()[1:]
    assert [int(r.split()[6]) for r in rows] == [11, 19, 51, 67, 99]
    assert [int(r.split()[5]) for r in rows] == [55, 27, 27, 13, 13]


def test_receptive_field_of_alexnet_from_its_graph(capsys):
    assert main(["receptive-field", "alexnet"]) == 0
    rows = capsys.readouterr().out.strip().splitlines()[1:]
    assert [float(r.split()[6]) for r in rows[:5]] == [11, 19, 51, 67, 99]


def test_summary_json_totals(capsys):
    assert main(["summary", "lenet5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_params"] == 61_706 and data["input_shape"] == [1, 32, 32]
    assert data["total_flops"] == 2 * data["total_macs"]


def test_summary_and_rf_errors(capsys):
    assert main(["summary", "lenet5", "--input", "1xabc"]) == 2
    assert "--input" in capsys.readouterr().err
    assert main(["receptive-field", "--layers", "3,1"]) == 2
    assert "kernel,stride,padding" in capsys.readouterr().err
    assert main(["receptive-field"]) == 2
