"""Starting the desktop app: the QApplication, the shipped fonts, the store and the main window."""

import sys
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QProxyStyle, QTabBar

from nämndtool.errors import NamndtoolError
from nämndtool.store import Store
from nämndtool.ui.common import tasks
from nämndtool.ui.main_window import MainWindow
from nämndtool.ui.common.tabs import TabTextStyle
from nämndtool.ui.common.widgets import APP_NAME

FONT_FAMILY = "DejaVu Sans"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
DEFAULT_POINT_SIZE = 10

_registered: list[str] | None = None
_translator: QTranslator | None = None


def register_fonts() -> list[str]:
    """Register the fonts shipped in resources/fonts (once per process); returns their families.

    Without them an offscreen or minimal system has no font at all and windows render without text.
    """
    global _registered
    if _registered is None:
        folder = resources.files("nämndtool.resources") / "fonts"
        families: list[str] = []
        for name in FONT_FILES:
            font_id = QFontDatabase.addApplicationFontFromData((folder / name).read_bytes())
            if font_id != -1:
                families += QFontDatabase.applicationFontFamilies(font_id)
        _registered = families
    return list(_registered)


def install_swedish_qt_texts(app: QApplication) -> None:
    """Qt's own texts (buttons of dialogs, the context menu of text fields) in Swedish, once per process."""
    global _translator
    QLocale.setDefault(QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden))
    if _translator is None:
        translator = QTranslator(app)
        if translator.load("qtbase_sv", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _translator = translator


class TabBarsWithWholeText(QProxyStyle):
    """The application's style: its own style unchanged, except that every tab bar, when it is first polished,
    gets a TabTextStyle of its own, so Ä, Å and Ö show whole on unselected tabs everywhere.

    Only tab bars: with TabTextStyle as the application's style every widget asked Python for every sub-element
    rectangle while painting (issue 15: about 900 calls per keystroke in the diary, each a Python call). This
    style has Python code only for ``polish``, called once per widget.
    """

    def polish(self, target):
        result = super().polish(target)
        if isinstance(target, QTabBar) and not isinstance(target.style(), TabTextStyle):
            style = TabTextStyle(self.baseStyle().name())
            style.setParent(target)
            target.setStyle(style)
        return result


def configure_application(app: QApplication) -> None:
    """Names (for QSettings), Swedish Qt texts and the font; needs no event loop, so tests can call it."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    if not isinstance(app.style(), TabBarsWithWholeText):
        app.setStyle(TabBarsWithWholeText(app.style().name()))
    install_swedish_qt_texts(app)
    if FONT_FAMILY in register_fonts() or FONT_FAMILY in QFontDatabase.families():
        size = app.font().pointSizeF()
        font = QFont(FONT_FAMILY)
        font.setPointSizeF(size if size > 0 else DEFAULT_POINT_SIZE)
        app.setFont(font)


def application() -> QApplication:
    """The running QApplication (created when there is none), configured for Nämndtool."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    return app


def open_starting_store(given) -> Store | None:
    """The store the app starts on; None when none could be opened (the user has been told). A remembered
    register that cannot be opened (a server that does not answer) is reported and the one given opened instead."""
    from nämndtool.paths import default_store_path
    from nämndtool.ui.maintenance.open_register import starting_register
    from nämndtool.ui.maintenance.reopen import named

    location = starting_register(given, default_store_path())
    try:
        return Store.open(location)
    except NamndtoolError as error:
        if location == given:
            show_error(str(error))
            return None
        show_error(f"Registret du senast öppnade, {named(location)}, kunde inte öppnas.\n\n{error}\n\n"
                   f"Nämndtool öppnar i stället {named(given)}. Välj register med Arkiv → Öppna register ….")
    try:
        return Store.open(given)
    except NamndtoolError as error:
        show_error(str(error))
        return None


def create_main_window(store: Store) -> MainWindow:
    return MainWindow(store)


def show_error(message: str) -> None:
    QMessageBox.critical(None, APP_NAME, message)


def run(db_path: "Path | str") -> int:
    """Open the store at ``db_path`` (a file or a server's connection string; the default file stands for the
    register last chosen with Arkiv → Öppna register …) and run the app until its window closes; the exit code."""
    app = application()
    store = open_starting_store(db_path)
    if store is None:
        return 1
    with store:
        window = create_main_window(store)
        window.show()
        QTimer.singleShot(0, window.run_startup_checks)
        try:
            return app.exec()
        finally:
            tasks.shutdown()   # the queued work written and every worker's connection closed before the store
