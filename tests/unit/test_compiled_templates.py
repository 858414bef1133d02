"""Pages compiled once are kept where SAFEPLACE_TEMPLATE_CACHE says, and read back by the next process."""

from safeplace.web import pages


def test_a_page_compiled_once_is_kept_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEPLACE_TEMPLATE_CACHE", str(tmp_path))
    # When one process compiles a page
    pages._environment.__wrapped__().get_template("base.html")
    kept = sorted(tmp_path.iterdir())
    # Then its compiled form is kept, and another process's environment reads it instead of compiling again
    assert kept
    again = pages._environment.__wrapped__()
    again.compile = _never  # type: ignore[method-assign]
    assert again.get_template("base.html").name == "base.html"


def _never(*args, **kwargs):
    raise AssertionError("compiled again")


def test_without_the_setting_nothing_is_kept(monkeypatch):
    monkeypatch.delenv("SAFEPLACE_TEMPLATE_CACHE")
    assert pages._environment.__wrapped__().bytecode_cache is None
