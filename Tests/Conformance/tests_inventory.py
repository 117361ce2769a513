"""Inventory mass convert (three pairs, status, every documented refusal) and single convert through the SDK."""

from harness import link_id, record, records, same_id, tag_names, wait_for
from sdk import code, describe, details, first_data, kind, plain
from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api import inventory_convert as single
from zohocrmsdk.src.com.zoho.crm.api import inventory_mass_convert as mass

ADMIN, REP = 7301552000000300001, 7301552000000300002
Q_MASS_SO, Q_MASS_INV, Q_SINGLE_SO, Q_SINGLE_INV = (7301552000000600001, 7301552000000600002,
                                                    7301552000000600003, 7301552000000600004)
Q_LOCKED, Q_PENDING, Q_CONVERTED, Q_TAGS_FALSE = (7301552000000600005, 7301552000000600006,
                                                  7301552000000600007, 7301552000000600011)
SO_MASS, SO_SINGLE = 7301552000000700001, 7301552000000700002
UNKNOWN = 7301552000000699999
CALL = 7301552000001000001


def mass_body(ctx, target, ids, carry=True, with_module=True, assign_to=None, related=(), empty=False):
    """A mass-convert body as the SDK builds it (ids are ints, so they go out as JSON numbers)."""
    body = mass.BodyWrapper()
    convert_to = mass.ConvertTo()
    if with_module:
        module = mass.Module()
        module.set_api_name(target)
        module.set_id(ctx.module_ids.get(target, 0))
        convert_to.set_module(module)
    if carry is not None:
        convert_to.set_carry_over_tags(carry)
    body.set_convert_to([] if empty else [convert_to])
    if related:
        items = []
        for name in related:
            item = mass.RelatedModules()
            item.set_api_name(name)
            item.set_id(ctx.module_ids.get(name, 0))
            items.append(item)
        body.set_related_modules(items)
    if ids is not None:
        body.set_ids(ids)
    if assign_to is not None:
        user = mass.User()
        user.set_id(assign_to)
        body.set_assign_to(user)
    return body


def submit(parent, body):
    """POST /{parent}/actions/mass_convert; returns (response, answer object)."""
    response = mass.InventoryMassConvertOperations(parent).mass_inventory_convert(body)
    return response, response.get_object()


def job_status(parent, job_id):
    """The job's status object (or the error object)."""
    params = ParameterMap()
    params.add(mass.GetScheduledJobsDetailsParam.job_id, job_id)
    response = mass.InventoryMassConvertOperations(parent).get_scheduled_jobs_details(params)
    obj = response.get_object()
    items = obj.get_data() if hasattr(obj, "get_data") else None
    return items[0] if items else obj


def run_job(ctx, name, parent, body):
    """Submits a job and waits until it leaves SCHEDULED / IN PROGRESS; returns the final status or None."""
    L = ctx.ledger
    response, obj = submit(parent, body)
    L.equal("%s: HTTP 202" % name, response.get_status_code(), 202)
    if not L.equal("%s: SCHEDULED" % name, code(obj), "SCHEDULED"):
        L.check("%s: answer" % name, False, describe(response))
        return None
    job_id = details(obj).get("job_id")
    L.check("%s: job_id given" % name, job_id is not None, describe(response))
    final = wait_for(lambda: job_status(parent, job_id), lambda s: status_value(s) in ("COMPLETED", "FAILED"))
    L.equal("%s: job COMPLETED" % name, status_value(final), "COMPLETED")
    if hasattr(final, "get_total_count"):
        counts = (final.get_total_count(), final.get_converted_count(), final.get_not_converted_count(),
                  final.get_failed_count())
        L.check("%s: total = converted + not converted + failed" % name,
                None not in counts and counts[0] == sum(counts[1:]), "counts %s" % (counts,))
    return final


def status_value(status):
    """A job status as an upper-case string (Zoho's examples use both cases)."""
    if not hasattr(status, "get_status"):
        return None
    raw = status.get_status()
    raw = raw.get_value() if hasattr(raw, "get_value") else raw
    return str(raw).upper() if raw is not None else None


def children_of(state, module, link_field, parent_id):
    """Records of `module` whose lookup `link_field` points at exactly `parent_id`."""
    return [r for r in records(state, module) if same_id(link_id(r.get(link_field)), parent_id)]


def test_mass_convert_pairs(ctx):
    """Quotes→Sales_Orders, Quotes→Invoices, Sales_Orders→Invoices: each child with owner, tags, back-link."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    before = emu.state()
    final = run_job(ctx, "mass convert Quotes→Sales_Orders", "Quotes",
                    mass_body(ctx, "Sales_Orders", [Q_MASS_SO], related=("Calls",)))
    state = emu.state()
    orders = children_of(state, "Sales_Orders", "Quote_Name", Q_MASS_SO)
    L.equal("mass convert Quotes→Sales_Orders: one sales order links back to exactly that quote", len(orders), 1)
    L.equal("mass convert Quotes→Sales_Orders: the neighbour quote is not converted",
            len(children_of(state, "Sales_Orders", "Quote_Name", Q_MASS_INV)), 0)
    if orders:
        L.check("mass convert Quotes→Sales_Orders: owner is the quote's",
                same_id(link_id(orders[0].get("Owner")), REP),
                "owner %r" % orders[0].get("Owner"))
        L.check("mass convert Quotes→Sales_Orders: tags carried", "alpha" in tag_names(orders[0]),
                "tags %r" % tag_names(orders[0]))
        call = record(state, "Calls", CALL)
        L.check("mass convert Quotes→Sales_Orders: related call follows to the sales order",
                call is not None and same_id(link_id(call.get("What_Id")), orders[0].get("id")),
                "What_Id %r" % (call or {}).get("What_Id"))
    if final is not None and hasattr(final, "get_converted_count"):
        L.equal("mass convert Quotes→Sales_Orders: converted_count", final.get_converted_count(), 1)
    invoices_before = len(records(before, "Invoices"))
    run_job(ctx, "mass convert Quotes→Invoices", "Quotes", mass_body(ctx, "Invoices", [Q_MASS_INV], assign_to=ADMIN))
    state = emu.state()
    new = [r for r in records(state, "Invoices") if r.get("Subject") == "Mass to Invoice"]
    L.equal("mass convert Quotes→Invoices: one invoice from that quote", len(new), 1)
    L.equal("mass convert Quotes→Invoices: exactly one invoice added", len(records(state, "Invoices")),
            invoices_before + 1)
    if new:
        L.check("mass convert Quotes→Invoices: tags carried", "beta" in tag_names(new[0]),
                "tags %r" % tag_names(new[0]))
        L.check("mass convert Quotes→Invoices: owner is assign_to", same_id(link_id(new[0].get("Owner")), ADMIN),
                "owner %r" % new[0].get("Owner"))
    run_job(ctx, "mass convert Sales_Orders→Invoices", "Sales_Orders", mass_body(ctx, "Invoices", [SO_MASS]))
    state = emu.state()
    invoices = children_of(state, "Invoices", "Sales_Order", SO_MASS)
    L.equal("mass convert Sales_Orders→Invoices: one invoice links back to exactly that order", len(invoices), 1)
    L.equal("mass convert Sales_Orders→Invoices: the neighbour order is not converted",
            len(children_of(state, "Invoices", "Sales_Order", SO_SINGLE)), 0)
    if invoices:
        L.check("mass convert Sales_Orders→Invoices: tags carried", "zeta" in tag_names(invoices[0]),
                "tags %r" % tag_names(invoices[0]))


def test_mass_convert_refused_records(ctx):
    """Locked, unapproved and already-converted quotes: accepted, counted failed, nothing converted."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    before = len(records(emu.state(), "Sales_Orders"))
    final = run_job(ctx, "mass convert locked/unapproved/converted", "Quotes",
                    mass_body(ctx, "Sales_Orders", [Q_LOCKED, Q_PENDING, Q_CONVERTED]))
    if final is not None and hasattr(final, "get_failed_count"):
        L.equal("mass convert locked/unapproved/converted: failed_count", final.get_failed_count(), 3)
        L.equal("mass convert locked/unapproved/converted: converted_count", final.get_converted_count(), 0)
    L.equal("mass convert locked/unapproved/converted: no sales order created",
            len(records(emu.state(), "Sales_Orders")), before)


def expect_error(ctx, name, parent, body, want, detail_keys=()):
    """A mass-convert request Zoho refuses with HTTP 400 `want`; its details carry `detail_keys`."""
    L = ctx.ledger
    before = len(ctx.emu.state().get("jobs", []))
    try:
        response, obj = submit(parent, body)
    except Exception as error:
        L.crashed("mass convert %s" % name, error)
        return None
    L.equal("mass convert %s: HTTP 400" % name, response.get_status_code(), 400)
    L.equal("mass convert %s: %s" % (name, want), code(obj), want)
    got = details(obj)
    for key in detail_keys:
        L.check("mass convert %s: details.%s" % (name, key), key in got, "details %s" % got)
    L.equal("mass convert %s: no job created" % name, len(ctx.emu.state().get("jobs", [])), before)
    return got


def test_mass_convert_errors(ctx):
    """LIMIT_EXCEEDED, missing keys, invalid ids, wrong module pairs, ids of another module, bad module."""
    ctx.emu.reset()
    # SDK DEFECT 2: the SDK's length validation never runs (it looks up `max-length`, its metadata says
    # `max_length`), so these 51 ids go out instead of being refused by the SDK: the emulator must refuse them,
    # as Zoho does. The answer's `limit_due_to` needs the workaround for defect 1 (sdk.install_missing_detail_class).
    ids = [Q_MASS_SO + i for i in range(51)]
    got = expect_error(ctx, "51 ids", "Quotes", mass_body(ctx, "Sales_Orders", ids), "LIMIT_EXCEEDED",
                       ("limit", "limit_due_to"))
    if got is not None:
        ctx.ledger.equal("mass convert 51 ids: limit is 50", got.get("limit"), 50)
    expect_error(ctx, "without ids", "Quotes", mass_body(ctx, "Sales_Orders", None), "MANDATORY_NOT_FOUND",
                 ("api_name", "json_path"))
    expect_error(ctx, "without carry_over_tags", "Quotes", mass_body(ctx, "Sales_Orders", [Q_MASS_SO], carry=None),
                 "MANDATORY_NOT_FOUND", ("api_name", "json_path"))
    expect_error(ctx, "without module", "Quotes", mass_body(ctx, "Sales_Orders", [Q_MASS_SO], with_module=False),
                 "MANDATORY_NOT_FOUND", ("api_name", "json_path"))
    expect_error(ctx, "convert_to []", "Quotes", mass_body(ctx, "Sales_Orders", [Q_MASS_SO], empty=True),
                 "EXPECTED_FIELD_MISSING", ("expected_fields",))
    expect_error(ctx, "unknown id", "Quotes", mass_body(ctx, "Sales_Orders", [UNKNOWN]), "INVALID_DATA",
                 ("api_name", "json_path"))
    expect_error(ctx, "Sales_Orders→Sales_Orders", "Sales_Orders", mass_body(ctx, "Sales_Orders", [SO_MASS]),
                 "INVALID_DATA", ("supported_values",))
    expect_error(ctx, "Quotes→Deals", "Quotes", mass_body(ctx, "Deals", [Q_MASS_SO]), "INVALID_DATA",
                 ("supported_values",))
    expect_error(ctx, "sales order id on Quotes", "Quotes", mass_body(ctx, "Invoices", [SO_MASS]),
                 "AMBIGUITY_DURING_PROCESSING", ("ambiguity_due_to",))
    expect_error(ctx, "from Invoices", "Invoices", mass_body(ctx, "Sales_Orders", [Q_MASS_SO]), "INVALID_MODULE")
    status = job_status("Quotes", 7301552000000999999)
    ctx.ledger.equal("mass convert status: unknown job_id is INVALID_DATA", code(status), "INVALID_DATA")
    ctx.ledger.equal("mass convert errors: nothing converted", len(records(ctx.emu.state(), "Sales_Orders")), 3)


def convert_one(parent, parent_id, target, module_id, carry=True):
    """POST /{parent}/{id}/actions/convert as the SDK sends it; returns the response."""
    body = single.BodyWrapper()
    converter = single.InventoryConverter()
    convert_to = single.ConvertTo()
    module = single.Module()
    module.set_api_name(target)
    module.set_id(module_id)
    convert_to.set_module(module)
    if carry is not None:
        convert_to.set_carry_over_tags(carry)
    converter.set_convert_to([convert_to])
    body.set_data([converter])
    return single.InventoryConvertOperations(parent_id, parent).convert_inventory(body)


def test_single_convert(ctx):
    """Single convert for the three pairs: the returned child id exists with back-link, owner and tags."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    for parent, parent_id, target, link, tag in (
        ("Quotes", Q_SINGLE_SO, "Sales_Orders", "Quote_Name", "gamma"),
        ("Quotes", Q_SINGLE_INV, "Invoices", None, "delta"),
        ("Sales_Orders", SO_SINGLE, "Invoices", "Sales_Order", None),
    ):
        name = "single convert %s→%s" % (parent, target)
        response = convert_one(parent, parent_id, target, ctx.module_ids.get(target, 0))
        item = first_data(response)
        L.equal("%s: SUCCESS" % name, code(item), "SUCCESS")
        child = details(item).get(target)
        child_id = child.get("id") if isinstance(child, dict) else None
        rec = record(emu.state(), target, child_id) if child_id else None
        if not L.check("%s: returned child exists" % name, rec is not None, describe(response)):
            continue
        if link:
            L.check("%s: child links back to exactly the parent" % name, same_id(link_id(rec.get(link)), parent_id),
                    "%s=%r" % (link, rec.get(link)))
        L.check("%s: owner is the parent's" % name, same_id(link_id(rec.get("Owner")), REP),
                "owner %r" % rec.get("Owner"))
        if tag:
            L.check("%s: tags carried" % name, tag in tag_names(rec), "tags %r" % tag_names(rec))


def top_level(ctx, name, response, want):
    """A URL-level refusal: HTTP 400, top level (not in data[]), details.resource_path_index."""
    L = ctx.ledger
    obj = response.get_object()
    L.equal("%s: HTTP 400" % name, response.get_status_code(), 400)
    L.check("%s: %s at top level" % (name, want), kind(obj) == "APIException" and code(obj) == want, describe(response))
    L.check("%s: details.resource_path_index" % name, "resource_path_index" in details(obj), describe(response))


def test_single_convert_errors(ctx):
    """Already converted, locked, unapproved, unknown id, carry_over_tags false."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    so_id = ctx.module_ids.get("Sales_Orders", 0)
    first = convert_one("Quotes", Q_SINGLE_SO, "Sales_Orders", so_id)
    L.equal("single convert again: first conversion SUCCESS", code(first_data(first)), "SUCCESS")
    top_level(ctx, "single convert again", convert_one("Quotes", Q_SINGLE_SO, "Sales_Orders", so_id),
              "ID_ALREADY_CONVERTED")
    top_level(ctx, "single convert of a converted quote", convert_one("Quotes", Q_CONVERTED, "Sales_Orders", so_id),
              "ID_ALREADY_CONVERTED")
    top_level(ctx, "single convert of an unapproved quote", convert_one("Quotes", Q_PENDING, "Sales_Orders", so_id),
              "NOT_APPROVED")
    top_level(ctx, "single convert of an unknown id", convert_one("Quotes", UNKNOWN, "Sales_Orders", so_id),
              "INVALID_DATA")
    response = convert_one("Quotes", Q_LOCKED, "Sales_Orders", so_id)
    obj = response.get_object()
    item = obj if kind(obj) == "APIException" else first_data(response)
    L.equal("single convert of a locked quote: RECORD_LOCKED", code(item), "RECORD_LOCKED")
    before = len(records(emu.state(), "Sales_Orders"))
    response = convert_one("Quotes", Q_TAGS_FALSE, "Sales_Orders", so_id, carry=False)
    item = first_data(response)
    L.equal("single convert carry_over_tags false: HTTP 400", response.get_status_code(), 400)
    L.equal("single convert carry_over_tags false: NOT_ALLOWED in data[]", code(item), "NOT_ALLOWED")
    L.equal("single convert carry_over_tags false: details.api_name", details(item).get("api_name"), "carry_over_tags")
    L.equal("single convert refusals: no sales order created", len(records(emu.state(), "Sales_Orders")), before)
    response = convert_one("Quotes", Q_SINGLE_INV, "Deals", ctx.module_ids.get("Deals", 0))
    obj = response.get_object()
    item = obj if kind(obj) == "APIException" else first_data(response)
    L.equal("single convert Quotes→Deals: INVALID_DATA", code(item), "INVALID_DATA")
    L.check("single convert Quotes→Deals: no deal from the quote",
            not [r for r in records(emu.state(), "Deals") if r.get("Subject") == "Single to Invoice"], plain(item))
