"""A small web shop speaking the shop API the `shop-api` connector pulls: the demo's order source and the tests'
local fake shop. It stands in for a merchant's real shop and is not part of the books."""
from shopledger.demo_shop.app import ShopAnswer, answer_orders, create_shop_app, shop_transport
from shopledger.demo_shop.store import Fault, ShopStore

__all__ = ["Fault", "ShopAnswer", "ShopStore", "answer_orders", "create_shop_app", "shop_transport"]
