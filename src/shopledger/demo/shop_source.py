"""Where the demo web shop lives inside the product, and the token it accepts.

Kept apart from the shop's web code so the demo service can name it without importing FastAPI.
"""
DEMO_TOKEN = "demo-shop-token"
MOUNT_PATH = "/demo-shop"
ADVANCE_PATH = "/advance"  # POST: a day passes at the shop
