"""Lead conversion options, convert lead (new, merged, with a Deal, refusals) and mass convert leads."""

from contextlib import contextmanager
from datetime import date

from harness import link_id, record, records, same_id, tag_names, wait_for
from sdk import code, describe, details, first_data, kind
from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api import convert_lead as cl
from zohocrmsdk.src.com.zoho.crm.api import mass_convert as mc
from zohocrmsdk.src.com.zoho.crm.api.conversion_option import ConversionOptionOperations
from zohocrmsdk.src.com.zoho.crm.api.record import Record
from zohocrmsdk.src.com.zoho.crm.api.util import Choice, CommonAPIHandler

REP = 7301552000000300002
L_NEW, L_MERGE, L_DEAL, L_MASS1, L_MASS2 = (7301552000000800001, 7301552000000800002, 7301552000000800003,
                                            7301552000000800004, 7301552000000800005)
L_LOCKED, L_PENDING, L_DUP = 7301552000000800006, 7301552000000800007, 7301552000000800008
C_CORA, C_DAN, A_ACME = 7301552000000500001, 7301552000000500002, 7301552000000400001
UNKNOWN = 7301552000000899999


def options(lead_id):
    """GET /Leads/{id}/__conversion_options; returns the response."""
    return ConversionOptionOperations(lead_id).lead_conversion_options()


def conversion_options_of(obj):
    """`__conversion_options` of the answer (v8 names its getter get_conversion_options, v7 get_conversionoptions)."""
    for getter in ("get_conversion_options", "get_conversionoptions"):
        if hasattr(obj, getter):
            return getattr(obj, getter)()
    return None


def test_conversion_options(ctx):
    """A lead matching a contact by Email and an account by Company; a lead matching nothing."""
    L = ctx.ledger
    ctx.emu.reset()
    response = options(L_MERGE)
    obj = response.get_object()
    found = conversion_options_of(obj)
    if not L.check("conversion options: matches found", found is not None, describe(response)):
        return
    preference = found.get_module_preference()
    L.equal("conversion options: module_preference Contacts",
            preference.get_api_name() if preference else None, "Contacts")
    L.check("conversion options: the matching contact (id exact)",
            [c.get_id() for c in found.get_contacts() or []] == [C_CORA], "contacts %s" % found.get_contacts())
    L.check("conversion options: the matching account (id exact)",
            A_ACME in [a.get_id() for a in found.get_accounts() or []], "accounts %s" % found.get_accounts())
    response = options(L_NEW)
    obj = response.get_object()
    nothing = response.get_status_code() == 204 or (
        conversion_options_of(obj) is not None and not (conversion_options_of(obj).get_contacts() or []))
    L.check("conversion options: no match is 204 (or null matches)", nothing, describe(response))


def convert(lead_id, contacts=None, accounts=None, deal=None, tags=None, assign_to=None):
    """POST /Leads/{id}/actions/convert as the SDK builds it; returns the response."""
    converter = cl.LeadConverter()
    converter.set_overwrite(False)
    converter.set_notify_lead_owner(False)
    converter.set_notify_new_entity_owner(False)
    if contacts is not None:
        contact = Record()
        contact.set_id(contacts)
        converter.set_contacts(contact)
    if accounts is not None:
        account = Record()
        account.set_id(accounts)
        converter.set_accounts(account)
    if deal is not None:
        converter.set_deals(deal)
    if tags is not None:
        carry = cl.CarryOverTags()
        carry.set_contacts(tags)
        converter.set_carry_over_tags(carry)
    body = cl.BodyWrapper()
    body.set_data([converter])
    return cl.ConvertLeadOperations(lead_id).convert_lead(body)


def converted_ids(ctx, name, response):
    """Checks SUCCESS and returns {module: id} of the details."""
    item = first_data(response)
    ctx.ledger.equal("%s: SUCCESS" % name, code(item), "SUCCESS")
    out = {}
    for module, value in details(item).items():
        if isinstance(value, dict) and "id" in value:
            out[module] = value["id"]
    ctx.ledger.check("%s: details name the contact" % name, "Contacts" in out, describe(response))
    return out


def test_convert_lead_new(ctx):
    """A lead matching nothing: a new contact and account, the lead marked converted, tags carried."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    ids = converted_ids(ctx, "convert lead new", convert(L_NEW, tags=["hot"]))
    state = emu.state()
    contact = record(state, "Contacts", ids.get("Contacts"))
    L.check("convert lead new: the contact exists with the lead's email",
            contact is not None and contact.get("Email") == "nia@fresh.test", "contact %r" % contact)
    account = record(state, "Accounts", ids.get("Accounts"))
    L.check("convert lead new: an account from the lead's Company",
            account is not None and account.get("Account_Name") == "Fresh Start Inc", "account %r" % account)
    L.check("convert lead new: contact tagged from carry_over_tags", "hot" in tag_names(contact),
            "tags %r" % tag_names(contact))
    lead = record(state, "Leads", L_NEW)
    L.equal("convert lead new: lead Converted__s", (lead or {}).get("Converted__s"), True)
    response = convert(L_NEW)
    obj = response.get_object()
    L.equal("convert lead again: HTTP 400", response.get_status_code(), 400)
    L.check("convert lead again: ID_ALREADY_CONVERTED at top level with resource_path_index",
            kind(obj) == "APIException" and code(obj) == "ID_ALREADY_CONVERTED"
            and "resource_path_index" in details(obj), describe(response))


@contextmanager
def without_deal_mandatory_check():
    """SDK DEFECT WORKAROUND (a third one, found here): ConvertLeadOperations sets the module to "Deals" with the
    mandatory checker on, so the SDK validates the `Accounts` and `Contacts` merge targets ({id} only) against the
    Deals' system-mandatory fields and refuses, before sending, the documented merge body (Kaizen 137 Case I). For
    this one call we switch the SDK's mandatory checker off; the body on the wire is the SDK's own serialisation."""
    original = CommonAPIHandler.set_mandatory_checker
    CommonAPIHandler.set_mandatory_checker = lambda self, checker: original(self, False)
    try:
        yield
    finally:
        CommonAPIHandler.set_mandatory_checker = original


def test_convert_lead_merged(ctx):
    """Merged into the matching Contact and Account (ids sent as JSON numbers): no new contact or account."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    before = emu.state()
    with without_deal_mandatory_check():
        response = convert(L_MERGE, contacts=C_CORA, accounts=A_ACME)
    ids = converted_ids(ctx, "convert lead merged", response)
    state = emu.state()
    L.check("convert lead merged: details.Contacts is the existing contact", same_id(ids.get("Contacts"), C_CORA),
            "ids %s" % ids)
    L.check("convert lead merged: details.Accounts is the existing account", same_id(ids.get("Accounts"), A_ACME),
            "ids %s" % ids)
    for module in ("Contacts", "Accounts"):
        L.equal("convert lead merged: no %s record created" % module, len(records(state, module)),
                len(records(before, module)))
    L.equal("convert lead merged: lead Converted__s", (record(state, "Leads", L_MERGE) or {}).get("Converted__s"), True)


def test_convert_lead_deal(ctx):
    """Converted with a Deal: the deal exists, named, linked to the new contact."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    deal = Record()
    deal.add_key_value("Deal_Name", "Conformance deal")
    deal.add_key_value("Closing_Date", date(2027, 6, 30))
    deal.add_key_value("Stage", Choice("Qualification"))
    deal.add_key_value("Pipeline", Choice("Standard (Standard)"))
    deal.add_key_value("Amount", 1200.0)
    ids = converted_ids(ctx, "convert lead with a Deal", convert(L_DEAL, deal=deal))
    state = emu.state()
    made = record(state, "Deals", ids.get("Deals"))
    L.check("convert lead with a Deal: the deal exists",
            made is not None and made.get("Deal_Name") == "Conformance deal",
            "deal %r ids %s" % (made, ids))
    if made:
        L.check("convert lead with a Deal: deal linked to the new contact",
                same_id(link_id(made.get("Contact_Name")), ids.get("Contacts")),
                "Contact_Name %r" % made.get("Contact_Name"))


def test_convert_lead_stage_outside_pipeline(ctx):
    """A Deal whose Stage is not in its Pipeline: MAPPING_MISMATCH in data[], nothing converted."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    deal = Record()
    deal.add_key_value("Deal_Name", "Mismatched deal")
    deal.add_key_value("Closing_Date", date(2027, 6, 30))
    deal.add_key_value("Stage", Choice("No such stage"))
    deal.add_key_value("Pipeline", Choice("Standard (Standard)"))
    response = convert(L_DEAL, deal=deal)
    item = first_data(response)
    L.equal("convert lead Stage outside Pipeline: HTTP 400", response.get_status_code(), 400)
    L.equal("convert lead Stage outside Pipeline: MAPPING_MISMATCH in data[]", code(item), "MAPPING_MISMATCH")
    L.equal("convert lead Stage outside Pipeline: lead unconverted",
            (record(emu.state(), "Leads", L_DEAL) or {}).get("Converted__s"), False)


def test_convert_lead_refusals(ctx):
    """Locked, unapproved, unknown id (top level), a unique-field clash (DUPLICATE_DATA in data[])."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    for name, lead_id, want in (("locked", L_LOCKED, "RECORD_LOCKED"), ("unapproved", L_PENDING, "NOT_APPROVED"),
                                ("unknown id", UNKNOWN, "INVALID_DATA")):
        response = convert(lead_id)
        obj = response.get_object()
        item = obj if kind(obj) == "APIException" else first_data(response)
        L.equal("convert lead %s: HTTP 400" % name, response.get_status_code(), 400)
        L.equal("convert lead %s: %s" % (name, want), code(item), want)
    before = len(records(emu.state(), "Contacts"))
    response = convert(L_DUP)
    item = first_data(response)
    L.equal("convert lead duplicate phone: HTTP 400", response.get_status_code(), 400)
    L.equal("convert lead duplicate phone: DUPLICATE_DATA in data[]", code(item), "DUPLICATE_DATA")
    # The SDK's convert-lead error details keep only the keys of its schema (no duplicate_record): read the
    # same refusal on the wire.
    status, answer = emu.crm("POST", "/crm/%s/Leads/%d/actions/convert" % (ctx.version, L_DUP),
                             {"data": [{"overwrite": False}]}, ctx.sdk.token.get_access_token())
    wire = ((answer or {}).get("data") or [{}])[0].get("details", {}) if isinstance(answer, dict) else {}
    duplicate = wire.get("duplicate_record")
    L.check("convert lead duplicate phone: duplicate_record is the contact holding the phone (on the wire)",
            isinstance(duplicate, dict) and same_id(duplicate.get("id"), C_DAN), "HTTP %s %s" % (status, answer))
    state = emu.state()
    L.equal("convert lead refusals: no contact created", len(records(state, "Contacts")), before)
    L.equal("convert lead refusals: leads stay unconverted",
            [(record(state, "Leads", i) or {}).get("Converted__s") for i in (L_LOCKED, L_PENDING, L_DUP)],
            [False, False, False])


def mass_leads(ids, assign_to=REP):
    """POST /Leads/actions/mass_convert as the SDK sends it; returns the response."""
    body = mc.BodyWrapper()
    if ids is not None:
        body.set_ids(ids)
    if assign_to is not None:
        user = mc.AssignTo()
        user.set_id(assign_to)
        body.set_assign_to(user)
    return mc.MassConvertOperations().mass_convert(body)


def lead_job(job_id):
    """The lead job's status object (or the error object)."""
    params = ParameterMap()
    params.add(mc.GetJobStatusParam.job_id, job_id)
    obj = mc.MassConvertOperations().get_job_status(params).get_object()
    items = obj.get_data() if hasattr(obj, "get_data") else None
    return items[0] if items else obj


def lead_status(status):
    """A lead job status, upper case (Zoho's examples use lower case, its doc upper)."""
    raw = status.get_status() if hasattr(status, "get_status") else None
    raw = raw.get_value() if hasattr(raw, "get_value") else raw
    return str(raw).upper() if raw is not None else None


def test_mass_convert_leads(ctx):
    """Two neighbouring leads converted by a job owned by assign_to; status counts; 51 ids; bad id; bad job."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    response = mass_leads([L_MASS1, L_MASS2])
    obj = response.get_object()
    L.equal("mass convert leads: HTTP 202", response.get_status_code(), 202)
    if L.equal("mass convert leads: SCHEDULED", code(obj), "SCHEDULED"):
        job_id = details(obj).get("job_id")
        final = wait_for(lambda: lead_job(job_id), lambda s: lead_status(s) in ("COMPLETED", "FAILED"))
        L.equal("mass convert leads: job completed", lead_status(final), "COMPLETED")
        if hasattr(final, "get_total_count"):
            L.equal("mass convert leads: Total_Count, Converted_Count",
                    (final.get_total_count(), final.get_converted_count()), (2, 2))
        state = emu.state()
        for lead_id, email in ((L_MASS1, "max1@mass.test"), (L_MASS2, "max2@mass.test")):
            L.equal("mass convert leads: lead %d converted" % lead_id,
                    (record(state, "Leads", lead_id) or {}).get("Converted__s"), True)
            contacts = [c for c in records(state, "Contacts") if c.get("Email") == email]
            L.check("mass convert leads: contact for %s owned by assign_to" % email,
                    len(contacts) == 1 and same_id(link_id(contacts[0].get("Owner")), REP), "contacts %s" % contacts)
    else:
        L.check("mass convert leads: answer", False, describe(response))
    for name, ids, want in (("51 ids", [L_NEW + i for i in range(51)], "LIMIT_EXCEEDED"),
                            ("unknown id", [UNKNOWN], "INVALID_DATA")):
        response = mass_leads(ids)
        obj = response.get_object()
        L.equal("mass convert leads %s: HTTP 400" % name, response.get_status_code(), 400)
        L.equal("mass convert leads %s: %s" % (name, want), code(obj), want)
        if want == "LIMIT_EXCEEDED":
            # The SDK's mass-convert error details have no `limit` key in its schema: read it on the wire.
            status, answer = emu.crm("POST", "/crm/%s/Leads/actions/mass_convert" % ctx.version,
                                     {"ids": ids, "assign_to": {"id": REP}}, ctx.sdk.token.get_access_token())
            limit = ((answer or {}).get("details") or {}).get("limit") if isinstance(answer, dict) else None
            L.equal("mass convert leads 51 ids: details.limit 50 (on the wire)", limit, 50)
    L.equal("mass convert leads status: unknown job is INVALID_DATA", code(lead_job(7301552000000999999)),
            "INVALID_DATA")
