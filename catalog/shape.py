"""The shape of a Genesys Cloud operation, from the catalog's operations and models: how it
pages and where its items are, and whether a POST only reads. `generate.py` records it for
every operation; the crate's census (`cargo run -p genesys-catalog --example census`) turns it
into a declaration and checks that every operation can be declared.

Paging styles (the `paging = "..."` of a declaration):

- `page`, `cursor`, `after`: the query parameter of that name (`pageNumber` for `page`);
- `scim`: `startIndex` and `count` in the query, items in `Resources`;
- `body-page`, `body-cursor`, `body-after`: `pageNumber` (with `pageSize`), `cursor` or
  `after` at the top level of the JSON body (search and query requests);
- `body-paging`: `pageNumber` and `pageSize` in the body's `paging` object (analytics
  details queries);
- `next-uri`: no paging parameter; the answer's `nextUri` is the next page;
- `next-page`: no paging parameter; the answer's `nextPage` link is the next page (a search).

Genesys answers binary content (recordings, exports, reports) with links rather than bytes:
`links` lists the answer's top-level fields that hold one (`downloadUrl`, `mediaUri`,
`signedUrl`, ...), to read with `Client::download_link`. No operation answers bytes itself.

An operation is a listing when its answer has a list of items and one of these styles
applies. A cursor or `after` parameter whose answer carries no next cursor (nor `nextUri`)
is not a listing: the caller passes the cursor.
"""

import re

# Lists in a listing's answer that are not its items.
NOT_ITEMS = ("aggregations", "schemas", "types", "errorDetails", "enabledDataSchemas")
# The items field, when an answer has several lists.
ITEMS_FIRST = ("entities", "results", "conversations", "userDetails", "Resources")
# Fields of an answer that hold a link to content on another host.
LINK = re.compile(r"(?i)(download|media|signed|presigned)ur[il]s?$")
# The last path segments of a POST that only reads.
READ_ONLY = ("query", "search", "suggest")


def of(operation, models):
    """The shape of one operation: `paging` and `items` (or `None`), `read_only`."""
    answer = models.get(operation["returns"] or "", {})
    items = items_field(answer)
    paging = paging_style(operation, models, answer) if items else None
    return {
        "paging": paging,
        "items": items if paging else None,
        "read_only": read_only(operation),
        "links": sorted(wire for wire in answer if LINK.search(wire)),
    }


def items_field(answer):
    lists = [wire for wire, field in answer.items() if field["type"].startswith("list[")]
    for wire in ITEMS_FIRST:
        if wire in lists:
            return wire
    others = [wire for wire in lists if wire not in NOT_ITEMS]
    if others:
        return sorted(others)[0]
    return lists[0] if lists == ["types"] else None


def paging_style(operation, models, answer):
    query = {p["name"] for p in operation["params"] if p["in"] == "query"}
    body_type = next((p["type"] for p in operation["params"] if p["in"] == "body"), "")
    body = models.get(body_type, {})
    gives_cursor = bool({"cursor", "cursors", "after", "nextUri"} & set(answer))
    if "pageNumber" in query:
        return "page"
    if "cursor" in query:
        return "cursor" if gives_cursor else None
    if "after" in query:
        return "after" if gives_cursor else None
    if "startIndex" in query:
        return "scim"
    if "paging" in body and body["paging"]["type"] == "PagingSpec":
        return "body-paging"
    if "pageNumber" in body:
        return "body-page"
    if "cursor" in body:
        return "body-cursor" if gives_cursor else None
    if "after" in body:
        return "body-after" if gives_cursor else None
    if "nextUri" in answer and operation["method"] == "GET":
        return "next-uri"
    if "nextPage" in answer:
        return "next-page"
    return None


def read_only(operation):
    """A POST that only reads: its path ends in `/query`, `/search` or `/suggest`."""
    last = operation["path"].rstrip("/").rsplit("/", 1)[-1]
    return operation["method"] == "POST" and last in READ_ONLY
