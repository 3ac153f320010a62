"""Swedish messages for argparse: a user mistake on the command line is explained in Swedish too.

argparse looks its messages up through gettext, and Python ships no Swedish catalogue for it, so the few
messages a user can meet are translated here and installed in argparse's module namespace.
"""

import argparse

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


def _translate(message: str) -> str:
    return _SV.get(message, message)


def install() -> None:
    argparse._ = _translate
    original = argparse.ArgumentParser._get_value

    def _get_value(self, action, arg_string):
        try:
            return original(self, action, arg_string)
        except argparse.ArgumentError as error:
            name = getattr(action.type, "__name__", "")
            if name in _TYPE_NAMES:
                raise argparse.ArgumentError(action, f"ogiltigt värde {arg_string!r} (ska vara {_TYPE_NAMES[name]})")
            raise error

    argparse.ArgumentParser._get_value = _get_value
