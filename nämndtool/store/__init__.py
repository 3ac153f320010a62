"""The store: all SQL of Nämndtool lives in this package, so another database can be added behind it later."""

from nämndtool.store.arenden import ArendenMixin
from nämndtool.store.beslutat import BeslutatMixin
from nämndtool.store.files import FilesMixin
from nämndtool.store.health import HealthMixin
from nämndtool.store.migrations import schema_version
from nämndtool.store.namnder import NamnderMixin
from nämndtool.store.protokoll import ProtokollMixin
from nämndtool.store.register import RegisterMixin
from nämndtool.store.sammanslagning import SammanslagningMixin
from nämndtool.store.sammantraden import SammantradenMixin
from nämndtool.store.sekretess import SekretessMixin
from nämndtool.store.server import is_server
from nämndtool.store.server_base import ServerBase
from nämndtool.store.server_files import ServerFilesMixin
from nämndtool.store.server_search import ServerSearchMixin
from nämndtool.store.tjansteskrivelser import TjansteskrivelserMixin


class Store(NamnderMixin, ArendenMixin, TjansteskrivelserMixin, SammantradenMixin, ProtokollMixin, RegisterMixin,
            FilesMixin, SekretessMixin, BeslutatMixin, HealthMixin, SammanslagningMixin):
    """A Nämndtool store: one SQLite file and the folder of its files, or a PostgreSQL database that a kansli
    shares (:class:`ServerStore`). Open either with ``Store.open(location)``."""

    @classmethod
    def open(cls, location, *, create: bool = True):
        if is_server(location):
            return ServerStore.open(location, create=create)
        return super().open(location, create=create)


class ServerStore(ServerFilesMixin, ServerSearchMixin, ServerBase, Store):
    """The server store: the same entity methods over a PostgreSQL connection (``server_base.py``)."""


__all__ = ["ServerStore", "Store", "schema_version"]
