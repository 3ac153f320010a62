"""Every change a user can make, one named operation each, shared by the command line and the app.

The contract (in the spirit of Anki's ``aqt/operations``, without Qt):

- an operation is a plain function ``operation(store, ...) -> result``, grouped by feature in this package
  (``diary``, ``meetings``, ``protokoll``, ``people``, ``secrecy``, ``exchange``, ``maintenance``);
- it checks its rules (the rules live here or in the store, never in ``ui/`` or ``cli.py``);
- it runs in ONE transaction (``with store.write():`` around everything it changes), so a refusal or a failure
  changes nothing;
- it raises only the project's own errors (``nämndtool.errors``), whose text is the Swedish message to show;
- it returns what the caller shows (an id, a row, warnings), never prints and never asks questions: a question to
  the user (a confirmation) is asked by the caller before it calls the operation.

Queries that the command line and the app both need (where each used to write the same filter) live beside the
operations of their feature, e.g. :func:`nämndtool.operations.diary.pending_delegationsbeslut`.

The operations take the store as their first argument and never hold it, so the app's task runner can call them on
a worker thread with that thread's own connection.
"""
