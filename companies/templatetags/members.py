"""What the signed-in person may do to each member on the company's page: the policies'
answers, asked from the template."""

from django import template

from companies import policies, selectors

register = template.Library()


@register.simple_tag
def member_may(user, membership) -> dict:
    """{% member_may user membership as may %}: may.remove (an owner, of a colleague),
    may.leave (one's own row, unless the last owner), may.stay (the last owner's own row)."""
    own = membership.user_id == user.pk
    leave = own and policies.can_leave_company(user, membership)
    return {
        "remove": policies.can_remove_member(user, membership),
        "leave": leave,
        "stay": own and not leave,
    }


@register.simple_tag
def owners_to_ask(user):
    """{% owners_to_ask request.user as ask %}: (company, owners) for a member who is not an
    owner (a page refused to them is most often an owner's), else None."""
    return selectors.owners_for_member(user)
