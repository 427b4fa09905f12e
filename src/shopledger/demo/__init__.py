"""Demo data: a small Thai shop's orders (`orders.demo_orders`) and bulk orders for the benchmark."""
