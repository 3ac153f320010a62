"""The command line's own argparse: Swedish messages, and old names that still parse for one release but are shown nowhere.

argparse looks its messages up through gettext, and Python ships no Swedish catalogue for it. Rather than patch the
argparse module every parser in the process shares, this module loads a private copy of it and gives only that copy
the Swedish messages: a parser made with ``Parser`` speaks Swedish, any other parser in the same process stays as
it was. Use this module's ``SUPPRESS`` and ``Namespace`` with it, not the ones of the shared argparse.
"""

import importlib.util

_SV = {
    "usage: ": "användning: ",
    "options": "flaggor",
    "positional arguments": "argument",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "the following arguments are required: %s": "följande argument måste anges: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "expected one argument": "ett värde saknas",
    "expected at least one argument": "minst ett värde saknas",
    "expected at most one argument": "högst ett värde får anges",
    "invalid %(type)s value: %(value)r": "ogiltigt värde %(value)r (ska vara %(type)s)",
    "not allowed with argument %s": "får inte anges tillsammans med %s",
    "one of the arguments %s is required": "ett av argumenten %s måste anges",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan betyda %(matches)s",
    "ignored explicit argument %r": "värdet %r ignorerades",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
}
_TYPE_NAMES = {"int": "ett heltal"}


def _private_argparse():
    """A fresh argparse module of our own, not the one in ``sys.modules``."""
    spec = importlib.util.find_spec("argparse")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_argparse = _private_argparse()
_argparse._ = lambda message: _SV.get(message, message)
SUPPRESS = _argparse.SUPPRESS
Namespace = _argparse.Namespace


class _Commands(_argparse._SubParsersAction):
    """Subcommands that may also answer to old names, which are parsed but never listed."""

    def add_old_name(self, old: str, parser) -> None:
        self._name_parser_map[old] = parser
        self.__dict__.setdefault("old_names", set()).add(old)


class Parser(_argparse.ArgumentParser):
    """An argparse parser with Swedish messages, whose old option and command names parse but are not shown."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register("action", "parsers", _Commands)

    def add_old_option(self, old: str, new: str) -> None:
        """``old`` is parsed as the option ``new``; help, usage and messages show only ``new``."""
        self._option_string_actions[old] = self._option_string_actions[new]

    def _get_option_tuples(self, option_string):
        # an abbreviation that fits both an option and its old name is not ambiguous: both are the same option
        seen, unique = set(), []
        for found in super()._get_option_tuples(option_string):
            if id(found[0]) not in seen:
                seen.add(id(found[0]))
                unique.append(found)
        return unique

    def _check_value(self, action, value):
        old = getattr(action, "old_names", set())
        if old and value not in action.choices:
            shown = ", ".join(repr(name) for name in action.choices if name not in old)
            raise _argparse.ArgumentError(action, f"ogiltigt val: {value!r} (välj bland {shown})")
        super()._check_value(action, value)

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except _argparse.ArgumentError:
            name = getattr(action.type, "__name__", "")
            if name in _TYPE_NAMES:
                raise _argparse.ArgumentError(action, f"ogiltigt värde {arg_string!r} (ska vara {_TYPE_NAMES[name]})")
            raise
