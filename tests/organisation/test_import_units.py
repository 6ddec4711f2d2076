"""Units from a CSV file: on the command line and on the organisation page; all or nothing, line by line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sigill.core.models import AuditEntry
from sigill.organisation import services
from sigill.organisation.models import Unit, User
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "units.example.csv"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "units.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def import_units(path: str) -> str:
    out = StringIO()
    call_command("import_units", path, stdout=out)
    return out.getvalue()


def test_the_sample_file_in_the_docs_loads_a_tree() -> None:
    assert "11 created" in import_units(str(EXAMPLE))
    library = Unit.objects.get(slug="bibliotek")
    assert library.kind == Unit.Kind.SECTION
    assert library.parent is not None and library.parent.slug == "kultur-fritid"
    assert library.path.startswith(Unit.objects.get(slug="bildning").path)
    assert AuditEntry.objects.filter(act="organisation.units.imported").count() == 1


def test_importing_the_same_file_again_changes_nothing() -> None:
    import_units(str(EXAMPLE))
    paths = dict(Unit.objects.values_list("slug", "path"))
    assert "0 created, 0 renamed, 0 moved, 11 unchanged" in import_units(str(EXAMPLE))
    assert dict(Unit.objects.values_list("slug", "path")) == paths


def test_a_new_name_in_the_file_renames_the_unit_and_a_new_parent_moves_it(tmp_path: Path) -> None:
    import_units(str(EXAMPLE))
    changed = EXAMPLE.read_text(encoding="utf-8").replace(
        "bibliotek,Vara bibliotek,kultur-fritid", "bibliotek,Vara stadsbibliotek,kommunledning"
    )
    assert "0 created, 1 renamed, 1 moved" in import_units(write(tmp_path, changed))
    library = Unit.objects.get(slug="bibliotek")
    assert library.name == "Vara stadsbibliotek"
    assert library.path.startswith(Unit.objects.get(slug="kommunledning").path)


def test_kinds_follow_the_place_in_the_tree_when_the_file_leaves_them_out(tmp_path: Path) -> None:
    import_units(
        write(
            tmp_path,
            "code;name;parent_code\nvard;Vård och omsorg;\nhemtjanst;Hemtjänsten;vard\nnorr;Hemtjänst norr;hemtjanst\n",
        )
    )
    assert dict(Unit.objects.values_list("slug", "kind")) == {
        "vard": "administration",
        "hemtjanst": "department",
        "norr": "section",
    }


def test_a_bad_file_imports_nothing_and_names_each_bad_line(tmp_path: Path) -> None:
    text = "code,name,parent_code\nbildning,Bildningsförvaltningen,\nbad code,Fel,\nskola,,bildning\nbildning,Igen,\n"
    with pytest.raises(CommandError) as error:
        import_units(write(tmp_path, text))
    message = str(error.value)
    assert "line 3: Koden ”bad code” får bara innehålla" in message
    assert "line 4: Namnet saknas." in message
    assert "line 5: Koden ”bildning” finns redan på rad 2." in message
    assert not Unit.objects.exists()


def test_a_parent_that_exists_nowhere_is_named_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="line 2: Det finns ingen enhet med koden ”okand”"):
        import_units(write(tmp_path, "code,name,parent_code\nskola,Skolan,okand\n"))


def test_parents_that_loop_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="del av sig själv genom sina överordnade"):
        import_units(write(tmp_path, "code,name,parent_code,kind\na,A,b,avdelning\nb,B,a,avdelning\n"))
    assert not Unit.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_advice(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Spara den som ”CSV UTF-8”"):
        import_units(write(tmp_path, "code,name,parent_code\nvard,Vård,\n", encoding="cp1252"))


def test_comms_sees_a_preview_and_then_imports_from_the_page(alice: User, units: dict[str, Unit]) -> None:
    client = signed_in_client(alice)
    upload = SimpleUploadedFile(
        "units.csv", b"code,name,parent_code\nmusikskolan,Musikskolan,kultur-fritid\n"
    )
    preview = client.post(reverse("organisation:import"), {"file": upload})
    assert preview.status_code == 200
    assert "1 skapas, 0 byter namn, 0 flyttas, 0 oförändrade." in preview.content.decode()
    assert not Unit.objects.filter(slug="musikskolan").exists()
    text = preview.context["text"]
    response = client.post(reverse("organisation:import"), {"text": text})
    assert response.status_code == 302
    assert Unit.objects.get(slug="musikskolan").kind == Unit.Kind.SECTION


def test_the_page_lists_the_problems_by_line(alice: User, units: dict[str, Unit]) -> None:
    upload = SimpleUploadedFile("units.csv", b"code,name,parent_code\nmusik,Musik,bibliotek\n")
    response = signed_in_client(alice).post(reverse("organisation:import"), {"file": upload})
    assert response.status_code == 422
    assert "Rad 2: En enhet (section) kan inte ha enheter under sig." in response.content.decode()


def test_a_unit_manager_cannot_import_units(bob: User, units: dict[str, Unit]) -> None:
    response = signed_in_client(bob).post(reverse("organisation:import"), {"text": "code,name\nx,X\n"})
    assert response.status_code == 403
    assert not Unit.objects.filter(slug="x").exists()


def test_a_closed_unit_takes_no_new_units_from_a_file(
    alice: User, units: dict[str, Unit], tmp_path: Path
) -> None:
    services.close_unit(unit=units["bibliotek"], by=alice)
    services.close_unit(unit=units["kultur-fritid"], by=alice)
    with pytest.raises(CommandError, match="line 2: ”kultur-fritid” är stängd"):
        import_units(write(tmp_path, "code,name,parent_code\nmusik,Musikskolan,kultur-fritid\n"))


def test_a_name_with_a_nul_is_refused_by_its_line_and_nothing_is_imported(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="line 3: Namnet innehåller ett styrtecken"):
        import_units(write(tmp_path, "code,name,parent_code\nvard,Vård,\nskola,Sko\x00lan,vard\n"))
    assert not Unit.objects.exists()


def test_a_field_longer_than_csv_reads_is_refused_by_its_line_not_with_a_crash() -> None:
    text = 'code,name,parent_code\nvard,Vård,\nskola,"' + "x" * 1_100_000 + '",vard\n'
    from sigill.organisation import unit_csv

    with pytest.raises(unit_csv.UnitFileError) as error:
        unit_csv.read_rows(text)
    assert error.value.problems[0][0] == 3 and "kan inte läsas som CSV" in str(error.value)
    assert not Unit.objects.exists()


def test_a_file_past_the_size_setting_is_refused_naming_it(
    alice: User, units: dict[str, Unit], settings
) -> None:
    settings.UNITS_FILE_MAX_BYTES = 20
    upload = SimpleUploadedFile("units.csv", b"code,name,parent_code\nmusik,Musik,kultur-fritid\n")
    response = signed_in_client(alice).post(reverse("organisation:import"), {"file": upload})
    assert response.status_code == 422
    assert "Filen är större än 20\xa0byte (UNITS_FILE_MAX_BYTES)." in response.content.decode()
    assert not Unit.objects.filter(slug="musik").exists()
