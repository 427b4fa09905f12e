"""ETDA e-Tax Invoice & e-Receipt documents (ขมธอ. 3-2560 v2.1) as plain data: built, then checked."""
