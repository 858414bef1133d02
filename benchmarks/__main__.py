"""`make bench`: figures, not pass/fail."""

from typing import Any

from benchmarks import (
    audit_verification,
    aws_calls,
    cold_start,
    list_pages,
    rollout_limits,
    runtime_start,
    sweep_scale,
    workflow_transitions,
)


def main() -> None:
    print(
        "== Handler import time (cold start, median of 7, seconds), against importing boto3 and pydantic alone and "
        "against the libraries every handler loads"
    )
    imports = cold_start.handler_import_seconds()
    floor, libraries = imports[cold_start.FLOOR], imports[cold_start.LIBRARIES]
    for function, seconds in imports.items():
        print(f"  {function:<44} {seconds:.3f}  {seconds / floor:.2f}x  {seconds / libraries:.2f}x")
    print("\n== AWS requests per API operation")
    for operation, calls in aws_calls.calls_per_operation().items():
        detail = ", ".join(f"{name} x{count}" for name, count in calls.items())
        print(f"  {operation:<42} {sum(calls.values()):>3}  ({detail})")
    print("\n== One placement-gate decision (record_placement) against one GetItem, median of 50 (moto, in process)")
    print("  employers  versions+receipts  requests (first)  gate ms  GetItem ms  gate/GetItem  requests")
    for row in aws_calls.gate_decision():
        detail = ", ".join(f"{name.split(':')[1]} x{count}" for name, count in row["by operation"].items())
        print(
            f"  {row['employers']:>9,}  {row['handbook versions and receipts']:>17}"
            f"  {row['requests per decision']:>8} ({row['requests, first decision']})"
            f"  {row['gate ms']:>7.2f}  {row['GetItem ms']:>10.2f}  {row['gate / GetItem']:>12}  ({detail})"
        )
    rows = sweep_scale.sweep_cost()
    first, last = rows[0], rows[-1]
    print(
        f"\n== One daily sweep over N SPOCs, {first['due']} falling due today ({first['reminded']} reminders, "
        f"{first['lapsed']} lapses) (DynamoDB requests and seconds)"
    )
    print("  SPOCs     due  DynamoDB requests  SES sends  seconds  (in DynamoDB calls)  (seeding s)  requests")
    for row in rows:
        detail = ", ".join(f"{name} x{count}" for name, count in row["dynamodb_by_operation"].items())
        print(
            f"  {row['spocs']:<8}  {row['due']:>3}  {row['dynamodb_requests']:>17}  {row['ses_sends']:>9}"
            f"  {row['seconds']:>7.2f}  {row['seconds_in_dynamodb_calls']:>19.2f}  {row['seeding_seconds']:>11.1f}"
            f"  ({detail})"
        )
    own = ", ".join(f"{row['seconds'] - row['seconds_in_dynamodb_calls']:.2f}" for row in rows)
    query = last["seconds_in_dynamodb_by_operation"].get("Query", 0.0)
    print(f"  The sweep's own code (seconds outside DynamoDB calls): {own} s.")
    print(
        f"  What grows is moto: it answers a Query by sorting the whole table ({query:.1f} s of the "
        f"{last['seconds']:.1f} s at {last['spocs']} SPOCs, for {last['dynamodb_by_operation'].get('Query', 0)} "
        "Queries), where DynamoDB reads only the partition asked for. Its copy of the whole table for each item "
        "of a transaction is switched off for the run (see benchmarks/sweep_scale.py)."
    )
    print("\n== One daily sweep over 1,000 SPOCs with N milestones due (DynamoDB requests)")
    print("  due  DynamoDB requests  per milestone  BatchGetItem (the milestones, 100 a go)  requests")
    for row in sweep_scale.sweep_by_due():
        calls = row["dynamodb_by_operation"]
        detail = ", ".join(f"{name} x{count}" for name, count in calls.items())
        print(
            f"  {row['due']:>3}  {row['dynamodb_requests']:>17}  {row['dynamodb_requests'] / row['due']:>13.1f}"
            f"  {calls.get('BatchGetItem', 0):>39}  ({detail})"
        )
    audit = audit_verification.measure()
    print(
        f"\n== The daily audit check after a rollout to {audit['employers']:,} employers ({audit['history']} verified "
        "entries each, 1 new yesterday): DynamoDB requests and items read"
    )
    print("                                  requests  items read")
    print(
        f"  before: every changed trail whole  {audit['before_requests']:>7,}  {audit['before_items']:>10,}"
        f"  ({audit['before_per_trail']} per trail)"
    )
    detail = ", ".join(f"{name} x{count:,}" for name, count in audit["after_by_operation"].items())
    print(f"  after: from each checkpoint      {audit['after_requests']:>7,}  {audit['after_items']:>10,}  ({detail})")
    print(f"  ratio                            {audit['request_ratio']:>6}x  {audit['item_ratio']:>9}x")
    print(
        f"  After includes today's slice of whole-trail checks ({audit['trails_verified_whole']} trails, 1/"
        f"{audit_verification.audit.FULL_CHECK_CYCLE_DAYS} of all: {audit['slice_requests']:,} requests, "
        f"{audit['slice_items']:,} items) and the checkpoints moved on in transactions of 100; "
        f"{audit['after_seconds']} s against moto."
    )
    print("\n== The local runtime's start, median of 3 (against a bare moto server), and its memory once ready")
    for name, value in runtime_start.measure().items():
        print(f"  {name}: {value}")
    print("\n== Handbook rollout against Step Functions' per-execution limits (history events, state bytes)")
    for line in rollout_limits.report(rollout_limits.measure()):
        print(line)
    print_list_pages(list_pages.list_page_costs())
    print("\n== Onboarding workflow on the local runtime")
    for name, value in workflow_transitions.measure().items():
        print(f"  {name}: {value}")


def print_list_pages(rows: list[dict[str, Any]]) -> None:
    """Requests and items read for a list's first page and the next, side by side at each size, with the ratio of
    the biggest to the smallest."""
    sizes = sorted({row["employers"] for row in rows})
    cells = {(row["list"], row["employers"]): row for row in rows}
    print(
        "\n== One page of each list (50 items; the CSV reads 100 whole bookings) against the number of employers: "
        "DynamoDB requests / items read, first page and next page"
    )
    print(f"  {'list':<46}" + "".join(f"{n:>22,}" for n in sizes) + f"  {'ratio':>7}")
    for name in dict.fromkeys(row["list"] for row in rows):
        shown = []
        for n in sizes:
            first, following = cells[(name, n)]["first page"], cells[(name, n)]["next page"]
            text = f"{first.get('requests', 0)}/{first.get('items read', 0)}"
            if following:
                text += f", {following.get('requests', 0)}/{following.get('items read', 0)}"
            shown.append(text)
        small, big = (cells[(name, n)]["first page"].get("items read", 0) for n in (sizes[0], sizes[-1]))
        print(f"  {name:<46}" + "".join(f"{t:>22}" for t in shown) + f"  {big / max(small, 1):>6.1f}x")
    seeding = ", ".join(f"{cells[(rows[0]['list'], n)]['seeding_seconds']:.0f} s" for n in sizes)
    print(
        f"  Each employer has a placement and every tenth a speaker booking. Seeding took {seeding}. The last row "
        "reads every employer through the status index, page after page, as the list did before it paged."
    )


if __name__ == "__main__":
    main()
