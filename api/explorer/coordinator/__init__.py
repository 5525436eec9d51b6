"""The coordinators' screens: sign in with a token, edit, review, history and revert, merge duplicates."""
