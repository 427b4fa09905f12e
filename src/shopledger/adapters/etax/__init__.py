"""ETDA e-Tax XML: written from the domain's document (xml.py), signed with XAdES-BES (signing.py)."""
