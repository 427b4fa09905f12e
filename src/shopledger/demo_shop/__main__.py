"""`python -m shopledger.demo_shop --port 8765 --token demo-token`: a shop to import from."""
from __future__ import annotations

import argparse

import uvicorn

from shopledger.demo_shop import ShopStore, create_shop_app


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the demo shop (shop-api.md) on its own.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default="demo-token")
    parser.add_argument("--orders", type=int, default=30)
    args = parser.parse_args()
    store = ShopStore()
    store.seed_demo(args.orders)
    uvicorn.run(create_shop_app(store, args.token), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
