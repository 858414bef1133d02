"""`make bench`: figures, not pass/fail."""

from typing import Any

from benchmarks import aws_calls, cold_start, list_pages, sweep_scale, workflow_transitions


def main() -> None:
    print("== Handler import time (cold start, median of 5, seconds)")
    for function, seconds in cold_start.handler_import_seconds().items():
        print(f"  {function:<28} {seconds:.3f}")
    print("\n== AWS requests per API operation")
    for operation, calls in aws_calls.calls_per_operation().items():
        detail = ", ".join(f"{name} x{count}" for name, count in calls.items())
        print(f"  {operation:<42} {sum(calls.values()):>3}  ({detail})")
    print("\n== One placement-gate decision (record_placement), median of 50")
    for name, value in aws_calls.gate_decision().items():
        print(f"  {name}: {value}")
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
    print_list_pages(list_pages.list_page_costs())
    print("\n== Onboarding workflow and the local runtime")
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
