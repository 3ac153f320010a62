"""Small widget helpers of the registry views."""

from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QTabWidget

TEXT_ROOM = 3
"""Pixels added above and below a tab's text."""


class TabTextStyle(QProxyStyle):
    """Gives a tab's text its full height.

    Fusion lowers an unselected tab by two pixels and shrinks its text rectangle by as much, which with DejaVu
    Sans cuts off the dots and rings of Ä, Å and Ö ("Ärende" reads "Arende"). The text rectangle is grown by a
    few pixels both ways; the text stays centred where it was.
    """

    def subElementRect(self, element, option, widget=None):
        rect = super().subElementRect(element, option, widget)
        if element == QStyle.SubElement.SE_TabBarTabText:
            rect = rect.adjusted(0, -TEXT_ROOM, 0, TEXT_ROOM)
        return rect


def whole_tab_text(tabs: QTabWidget) -> QTabWidget:
    """Let ``tabs`` show Ä, Å and Ö whole on unselected tabs (see TabTextStyle); returns ``tabs``."""
    style = TabTextStyle(QApplication.style().name())
    style.setParent(tabs)
    tabs.tabBar().setStyle(style)
    return tabs
