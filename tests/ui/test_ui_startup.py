"""Start-up in the app: the integrity check names what is wrong and the backup to restore, the day's backup is
taken once, a failed backup is reported without stopping the app, and "Säkerhetskopiera nu"."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from nämndtool.backup import backups, default_backup_root, take_backup, verify_backup
from nämndtool.ui import startup
from nämndtool.ui.common.dialogs import ScriptedDialogs


def run(qtbot, job):
    with qtbot.waitSignal(job.done, timeout=30_000):
        pass
    assert not job.running
    return job


def test_a_missing_file_is_reported_with_the_backup_to_restore(qtbot, imported):
    store, _ = imported
    root = default_backup_root(store.path)
    good = take_backup(store, root)
    next(p for p in store.files_dir.rglob("*") if p.is_file()).unlink()
    dialogs = ScriptedDialogs()
    messages = []
    job = startup.startup_checks(store, dialogs, None, message=messages.append)
    run(qtbot, job)
    (error,) = dialogs.messages("error")
    assert error.startswith(f"Kontrollen av registret {store.path} hittade fel:")
    assert f"1 sparade filer saknas i mappen {store.files_dir}." in error
    assert str(good.path) in error and str(root) in error
    assert backups(root) == [good.path]             # a damaged store is not backed up over the good copies
    assert messages[-1] == "Registret har fel – se meddelandet."


def test_the_daily_backup_is_taken_once_a_day(qtbot, imported):
    store, _ = imported
    root = default_backup_root(store.path)
    dialogs = ScriptedDialogs()
    messages = []
    run(qtbot, startup.startup_checks(store, dialogs, None, message=messages.append))
    (taken,) = backups(root)
    assert verify_backup(taken) == []
    assert messages[-1] == f"Registret är kontrollerat. Dagens säkerhetskopia: {taken}"
    run(qtbot, startup.startup_checks(store, dialogs, None, message=messages.append))
    assert backups(root) == [taken]
    assert messages[-1] == "Registret är kontrollerat."
    assert dialogs.calls == []                       # a good start is quiet


def test_a_failed_backup_is_reported_and_the_app_goes_on(qtbot, imported):
    store, _ = imported
    default_backup_root(store.path).write_text("en fil där mappen för säkerhetskopior skulle ligga")
    dialogs = ScriptedDialogs()
    run(qtbot, startup.startup_checks(store, dialogs, None))
    (error,) = dialogs.messages("error")
    assert error.startswith("Dagens automatiska säkerhetskopia kunde inte tas.")
    assert "Registret är oförändrat" in error and "Säkerhetskopiera nu" in error
    assert store.arende_count() > 0                  # the store is still usable


def test_backup_now(qtbot, imported):
    store, _ = imported
    root = default_backup_root(store.path)
    dialogs = ScriptedDialogs()
    job = startup.backup_now(store, dialogs, None)
    assert startup.backup_now(store, dialogs, None) is None         # one at a time
    assert dialogs.messages("info") == ["En kontroll eller säkerhetskopiering pågår redan. Vänta tills den är klar."]
    run(qtbot, job)
    (taken,) = backups(root)
    assert dialogs.messages("info")[-1].startswith("Säkerhetskopian är tagen (")
    assert str(taken) in dialogs.messages("info")[-1]
    startup.wait_for_background()
