"""The labels of the verbs that companies' services write to the audit trail
(incubator.audit_verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "company.create": _("Company created"),
    "company.update": _("Company profile changed"),
    "company.delete": _("Company deleted"),
    "member.invite": _("Member invited"),
    "member.reinvite": _("Member invited again"),
    "member.accept": _("Invitation accepted"),
    "invitation.revoke": _("Invitation revoked"),
    "member.remove": _("Member removed by the owner"),
    "member.leave": _("Member left the company"),
    "member.create": _("Member added"),
    "member.update": _("Member changed"),
    "member.delete": _("Member removed"),
    # Evidence, by its model's name (services.evidence_save and evidence_delete)
    "patent.add": _("Patent added"),
    "patent.change": _("Patent changed"),
    "patent.delete": _("Patent deleted"),
    "fundinground.add": _("Funding round added"),
    "fundinground.change": _("Funding round changed"),
    "fundinground.delete": _("Funding round deleted"),
    "marketvalidation.add": _("Market validation added"),
    "marketvalidation.change": _("Market validation changed"),
    "marketvalidation.delete": _("Market validation deleted"),
    "certification.add": _("Certification added"),
    "certification.change": _("Certification changed"),
    "certification.delete": _("Certification deleted"),
    "document.upload": _("Document uploaded"),
    "document.delete": _("Document deleted"),
    "lead.create": _("Lead added"),
    "lead.change": _("Lead changed"),
    "lead.delete": _("Lead deleted"),
    "lead.invite": _("Lead invited to apply"),
    # Partners, by their model's name (services.partner_save and partner_delete)
    "partnerorganisation.create": _("Partner organisation created"),
    "partnerorganisation.change": _("Partner organisation changed"),
    "partnerorganisation.delete": _("Partner organisation deleted"),
    "partnerperson.create": _("Partner person added"),
    "partnerperson.change": _("Partner person changed"),
    "partnerperson.delete": _("Partner person deleted"),
}
