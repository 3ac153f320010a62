"""The secrecy gate: every public output is read back and searched for secrets before it leaves."""
