"""People who sign in: the roles and what each may do (roles.py), e-mail and password rules (accounts.py)."""
