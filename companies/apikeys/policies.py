def can_manage_api_keys(actor) -> bool:
    """The center manager makes and revokes partners' keys (the roles table)."""
    return bool(
        actor is not None
        and getattr(actor, "is_active", False)
        and getattr(actor, "is_staff", False)
        and actor.has_perm("companies.add_partnerapikey")
    )
