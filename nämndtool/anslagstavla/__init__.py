"""The digital anslagstavla (KL 8 kap. 9–12 §§): the notice that a protokoll is justerat, published as files in a
folder the kommun's web server serves, and taken down when the appeal period has ended.

``publish.publish`` needs the register; ``folder.expire``, ``folder.withdraw`` and ``folder.current`` work from the
folder alone (its manifest), so a cron job on the web server can run them.
"""
