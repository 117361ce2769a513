"""Tokens, users, org, metadata, COQL, Get Records, Search, update and add tags through the official SDK."""

import json
import urllib.request

from harness import record, records, same_id, tag_names
from sdk import (
    CLIENT_ID,
    CLIENT_SECRET,
    GRANT_CODE,
    SPARE_REFRESH_TOKEN,
    code,
    describe,
    details,
    first_data,
    kind,
    plain,
)
from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.crm.api import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.coql import BodyWrapper as CoqlBody
from zohocrmsdk.src.com.zoho.crm.api.coql import CoqlOperations
from zohocrmsdk.src.com.zoho.crm.api.fields import FieldsOperations, GetFieldsParam
from zohocrmsdk.src.com.zoho.crm.api.modules import ModulesOperations
from zohocrmsdk.src.com.zoho.crm.api.org import OrgOperations
from zohocrmsdk.src.com.zoho.crm.api.record import BodyWrapper as RecordBody
from zohocrmsdk.src.com.zoho.crm.api.record import GetRecordsParam, Record, RecordOperations, SearchRecordsParam
from zohocrmsdk.src.com.zoho.crm.api.tags import NewTagRequestWrapper, Tag, TagsOperations
from zohocrmsdk.src.com.zoho.crm.api.users import GetUsersParam, UsersOperations
from zohocrmsdk.src.com.zoho.crm.api.util import Choice

ADMIN = 7301552000000300001
REP = 7301552000000300002
INACTIVE = 7301552000000300003


def test_token_grant(ctx):
    """The SDK's refresh grant at initialisation, then CurrentUser and /org to name the token."""
    L, emu = ctx.ledger, ctx.emu
    log = emu.requests()
    grants = [r for r in log if r["path"] == "/oauth/v2/token"]
    L.check("token: refresh grant sent", grants and grants[0]["status"] == 200, "log %s" % grants)
    L.check("token: access token issued", bool(ctx.sdk.token.get_access_token()), "no access token")
    after = [(r["path"], r["query"].get("type"), r["status"]) for r in log[1:3]]
    L.equal(
        "token: SDK asks CurrentUser then /org after the grant",
        after,
        [("/crm/%s/users" % ctx.version, "CurrentUser", 200), ("/crm/%s/org" % ctx.version, None, 200)],
    )
    signature = ctx.sdk.token.get_user_signature()
    L.equal(
        "token: the token is named email:zgid (the current user's email, the org's zgid from /org)",
        signature.get_name() if signature else None,
        "admin@conformance.test:%s" % org_zgid(ctx),
    )


def org_zgid(ctx):
    """The org's zgid as GET /org answers it (outside the SDK, which keeps it only inside the token's name)."""
    request = urllib.request.Request(ctx.emu.base + "/crm/%s/org" % ctx.version)
    request.add_header("Authorization", "Zoho-oauthtoken " + ctx.sdk.token.get_access_token())
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["org"][0]["zgid"]


def test_token_errors(ctx):
    """Authorization-code grant, a bad refresh token, a bad client secret, a bad access token."""
    L, sdk = ctx.ledger, ctx.sdk
    try:
        grant = OAuthToken(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, grant_token=GRANT_CODE, find_user=False)
        sdk.switch(grant)
        L.check("token: authorization code grant gives an access token", bool(grant.get_access_token()), "none")
        L.check("token: authorization code grant gives a refresh token", bool(grant.get_refresh_token()), "none")
    except Exception as error:
        L.crashed("token: authorization code grant", error)
    for label, secret, refresh in (
        ("bad refresh token", CLIENT_SECRET, "1000.not.a.token"),
        ("bad client secret", "wrong-secret", SPARE_REFRESH_TOKEN),
    ):
        try:
            sdk.switch(OAuthToken(client_id=CLIENT_ID, client_secret=secret, refresh_token=refresh, find_user=False))
            L.check("token: %s is refused" % label, False, "the SDK got a token")
        except Exception as error:
            L.check("token: %s is refused" % label, "INVALID_TOKEN" in str(error) or "invalid" in str(error).lower(),
                    "raised %r" % error)
    bad = OAuthToken(access_token="1000.bad.access.token", find_user=False)
    try:
        sdk.switch(bad)
        response = UsersOperations().get_users(ParameterMap())
        L.equal("token: a bad access token is HTTP 401", response.get_status_code(), 401)
        L.equal("token: a bad access token is INVALID_TOKEN", code(response.get_object()), "INVALID_TOKEN")
    except Exception as error:
        L.crashed("token: bad access token", error)
    sdk.restore()


def user_type(name):
    """`type=NAME` for Get Users: v8 types it as a string, v7 as a Choice."""
    params = ParameterMap()
    try:
        params.add(GetUsersParam.type, name)
    except Exception:
        params = ParameterMap()
        params.add(GetUsersParam.type, Choice(name))
    return params


def test_users_org(ctx):
    """ActiveUsers, CurrentUser and the org."""
    L = ctx.ledger
    params = user_type("ActiveUsers")
    response = UsersOperations().get_users(params)
    users = response.get_object().get_users() if hasattr(response.get_object(), "get_users") else []
    ids = sorted(u.get_id() for u in users)
    L.equal("users: ActiveUsers are exactly the active users, ids exact", ids, [ADMIN, REP])
    params = user_type("CurrentUser")
    response = UsersOperations().get_users(params)
    users = response.get_object().get_users() if hasattr(response.get_object(), "get_users") else []
    L.equal("users: CurrentUser is the first user", [(u.get_id(), u.get_email()) for u in users],
            [(ADMIN, "admin@conformance.test")])
    response = OrgOperations().get_organization()
    L.equal("org: GET /org is HTTP 200", response.get_status_code(), 200)
    obj = response.get_object()
    orgs = obj.get_org() if hasattr(obj, "get_org") else []
    L.equal("org: company name from the fixture", [o.get_company_name() for o in orgs or []], ["Conformance Labs"])


def test_metadata(ctx):
    """Modules (their ids are used for conversions) and fields."""
    L = ctx.ledger
    response = ModulesOperations().get_modules(ParameterMap())
    obj = response.get_object()
    modules = {m.get_api_name(): m.get_id() for m in (obj.get_modules() if hasattr(obj, "get_modules") else [])}
    ctx.module_ids = modules
    for name in ("Leads", "Contacts", "Accounts", "Deals", "Quotes", "Sales_Orders", "Invoices", "Calls", "Tasks"):
        got = modules.get(name)
        L.check("modules: %s listed with an id" % name, isinstance(got, int), "got %r" % got)
    L.equal("modules: Sales_Orders id (prefix + 2185)", modules.get("Sales_Orders"), 7301552000000002185)
    fields = fields_of(ctx, "Quotes")
    tag = fields.get("Tag")
    L.equal("fields: Quotes.Tag json_type", tag.get_json_type() if tag else None, "jsonarray")
    subforms = (("Quotes", "Quoted_Items"), ("Sales_Orders", "Ordered_Items"), ("Invoices", "Invoiced_Items"))
    for module, subform in subforms:
        field = fields_of(ctx, module).get(subform)
        associated = field.get_associated_module() if field else None
        L.check("fields: %s.%s has associated_module (line items typed)" % (module, subform),
                associated is not None and associated.get_module() == subform, "got %r" % plain(associated))
    email = fields_of(ctx, "Leads").get("Email")
    mapping = email.get_convert_mapping() if email else None
    L.check("fields: Leads.Email has convert_mapping", mapping is not None, "none")


def fields_of(ctx, module):
    """Field metadata of a module by API name."""
    params = ParameterMap()
    params.add(GetFieldsParam.module, module)
    obj = FieldsOperations().get_fields(params).get_object()
    return {f.get_api_name(): f for f in (obj.get_fields() if hasattr(obj, "get_fields") else [])}


def coql(query):
    """Runs a COQL query; returns (status, [records], info)."""
    body = CoqlBody()
    body.set_select_query(query)
    response = CoqlOperations().get_records(body)
    obj = response.get_object() if response else None
    if obj is None or not hasattr(obj, "get_data"):
        return (response.get_status_code() if response else None), [], obj
    return response.get_status_code(), obj.get_data() or [], obj.get_info()


def test_coql(ctx):
    """Match, no match (204), apostrophe doubled, paging by LIMIT/OFFSET."""
    L = ctx.ledger
    status, rows, _ = coql("select id, Subject from Quotes where Subject = 'Tag me'")
    L.equal("coql: match returns exactly that quote (id exact)", [(status, r.get_id()) for r in rows],
            [(200, 7301552000000600008)])
    status, rows, info = coql("select id from Quotes where Subject = 'No such quote'")
    L.equal("coql: no match is HTTP 204", status, 204)
    status, rows, info = coql("select id, Subject from Quotes where Subject = 'O''Brien valves'")
    L.equal("coql: '' is an escaped apostrophe", [(status, r.get_id()) for r in rows], [(200, 7301552000000600012)])
    seen = []
    for offset, count, more in ((0, 2, True), (2, 2, True), (4, 1, False)):
        status, rows, info = coql("select id from Products where Unit_Price > 0 order by id asc limit %d, 2" % offset)
        seen += [r.get_id() for r in rows]
        L.equal("coql: page at offset %d has %d rows" % (offset, count), len(rows), count)
        L.equal("coql: more_records at offset %d" % offset, info.get_more_records() if info else None, more)
    L.equal("coql: pages cover every product once, in id order", seen,
            [7301552000000900001 + i for i in range(5)])
    status, rows, obj = coql("select id, Subject from Quotes")
    L.equal("coql: a query without WHERE is HTTP 400", status, 400)
    L.equal("coql: a query without WHERE is SYNTAX_ERROR", code(obj), "SYNTAX_ERROR")


def test_get_records(ctx):
    """Get Records with per_page and page_token from info.next_page_token."""
    L = ctx.ledger
    seen, token, pages = [], None, 0
    while pages < 4:
        params = ParameterMap()
        params.add(GetRecordsParam.fields, "Product_Name")
        params.add(GetRecordsParam.per_page, 2)
        params.add(GetRecordsParam.sort_by, "id")
        params.add(GetRecordsParam.sort_order, "asc")
        if token:
            params.add(GetRecordsParam.page_token, token)
        response = RecordOperations("Products").get_records(params)
        obj = response.get_object()
        if not hasattr(obj, "get_data"):
            L.check("records: page %d read" % (pages + 1), False, describe(response))
            break
        seen += [r.get_id() for r in obj.get_data()]
        pages += 1
        info = obj.get_info()
        if not info.get_more_records():
            break
        token = info.get_next_page_token()
        L.check("records: next_page_token given while more_records", bool(token), "page %d: none" % pages)
        if not token:
            break
    L.equal("records: page_token pages cover every product once", seen, [7301552000000900001 + i for i in range(5)])
    L.equal("records: three pages of two", pages, 3)
    params = ParameterMap()
    params.add(GetRecordsParam.fields, "Subject")
    params.add(GetRecordsParam.ids, "7301552000000600009")
    response = RecordOperations("Quotes").get_records(params)
    rows = response.get_object().get_data() if hasattr(response.get_object(), "get_data") else []
    L.equal("records: ids= returns exactly that record", [(r.get_id(), r.get_key_value("Subject")) for r in rows],
            [(7301552000000600009, "Not me")])


def get_records_error(module, **values):
    """Get Records with the given params; returns the response."""
    params = ParameterMap()
    for name, item in values.items():
        params.add(getattr(GetRecordsParam, name), item)
    return RecordOperations(module).get_records(params)


def test_get_records_edges(ctx):
    """An empty module answers 204; no `fields` and a bad page_token are refused."""
    L = ctx.ledger
    response = get_records_error("Events", fields="Event_Title")
    L.equal("records: a module with no records is HTTP 204", response.get_status_code(), 204)
    response = get_records_error("Products")
    L.equal("records: without fields is HTTP 400", response.get_status_code(), 400)
    L.equal("records: without fields is REQUIRED_PARAM_MISSING", code(response.get_object()), "REQUIRED_PARAM_MISSING")
    response = get_records_error("Products", fields="Product_Name", page_token="not-a-token")
    L.equal("records: a bad page_token is HTTP 400", response.get_status_code(), 400)
    L.equal("records: a bad page_token is INVALID_DATA", code(response.get_object()), "INVALID_DATA")


def test_search(ctx):
    """Search by criteria: a match, and 204 for none."""
    L = ctx.ledger
    params = ParameterMap()
    params.add(SearchRecordsParam.criteria, "(Subject:equals:Tag me)")
    response = RecordOperations("Quotes").search_records(params)
    obj = response.get_object()
    rows = obj.get_data() if hasattr(obj, "get_data") else []
    L.equal("search: criteria match (id exact)", [r.get_id() for r in rows], [7301552000000600008])
    params = ParameterMap()
    params.add(SearchRecordsParam.criteria, "(Subject:equals:Nothing like this)")
    response = RecordOperations("Quotes").search_records(params)
    L.equal("search: no match is HTTP 204", response.get_status_code(), 204)


def test_update(ctx):
    """Update one quote by id (sent as a JSON number); a locked record is refused."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    body = RecordBody()
    target = Record()
    target.set_id(7301552000000600010)
    target.add_key_value("Subject", "Updated by the SDK")
    body.set_data([target])
    response = RecordOperations("Quotes").update_records(body)
    item = first_data(response)
    L.equal("update: SUCCESS", code(item), "SUCCESS")
    L.check("update: answer names the id", same_id(details(item).get("id"), 7301552000000600010), describe(response))
    state = emu.state()
    L.equal("update: exactly that record changed", record(state, "Quotes", 7301552000000600010).get("Subject"),
            "Updated by the SDK")
    L.equal("update: its neighbour unchanged", record(state, "Quotes", 7301552000000600009).get("Subject"), "Not me")
    body = RecordBody()
    locked = Record()
    locked.set_id(7301552000000600005)
    locked.add_key_value("Subject", "Should not change")
    body.set_data([locked])
    response = RecordOperations("Quotes").update_records(body)
    L.equal("update: locked record is RECORD_LOCKED", code(first_data(response)), "RECORD_LOCKED")
    L.equal("update: locked record unchanged", record(emu.state(), "Quotes", 7301552000000600005).get("Subject"),
            "Locked quote")


def test_add_tags(ctx):
    """Add tags to one quote; its neighbour by one must stay untagged; an unknown id is refused."""
    L, emu = ctx.ledger, ctx.emu
    emu.reset()
    body = NewTagRequestWrapper()
    tag = Tag()
    tag.set_name("conformance")
    body.set_tags([tag])
    body.set_ids([7301552000000600008])
    body.set_over_write(False)
    response = TagsOperations().add_tags_to_multiple_records("Quotes", body)
    item = first_data(response)
    L.equal("add tags: SUCCESS", code(item), "SUCCESS")
    state = emu.state()
    tagged = [r["id"] for r in records(state, "Quotes") if "conformance" in tag_names(r)]
    L.check("add tags: exactly the record with that id carries the tag",
            len(tagged) == 1 and same_id(tagged[0], 7301552000000600008),
            "tagged %s; %s" % (tagged, describe(response)))
    body.set_ids([7301552000000699999])
    response = TagsOperations().add_tags_to_multiple_records("Quotes", body)
    obj = response.get_object()
    item = first_data(response) if kind(obj) != "APIException" else obj
    L.equal("add tags: unknown id is INVALID_DATA", code(item), "INVALID_DATA")
