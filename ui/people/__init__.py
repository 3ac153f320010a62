"""Personer: the organs' rosters and the address book of decision recipients."""
