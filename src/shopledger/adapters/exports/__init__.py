"""Files written for people and other programs: CSV and XLSX sheets, Beancount text."""
