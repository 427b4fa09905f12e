"""What the demo web shop sells: (sku, name, price as the shop writes it).

Kept apart from the shop's web code (as shop_source.py) so the demo service can put these
products on the books, with stock and cost, without importing FastAPI.
"""
CATALOGUE = [
    ("HONEY-1L", "น้ำผึ้งป่าแท้ 1 ลิตร", "350.00"),
    ("HONEY-500", "น้ำผึ้งดอกลำไย 500 กรัม", "190.00"),
    ("COFFEE-250", "กาแฟอาราบิก้าดอยช้าง คั่วกลาง 250 กรัม", "280.00"),
    ("COFFEE-DRIP", "กาแฟดริปดอยตุง 10 ซอง", "159.00"),
    ("SOAP-TURMERIC", "สบู่ขมิ้นชันทำมือ", "59.00"),
    ("SOAP-CHARCOAL", "สบู่ถ่านไม้ไผ่", "65.00"),
    ("TEA-OOLONG", "ชาอู่หลงดอยแม่สลอง 100 กรัม", "220.00"),
    ("RICE-HOMMALI", "ข้าวหอมมะลิทุ่งกุลา 5 กก.", "245.00"),
    ("BALM-HERBAL", "ยาหม่องสมุนไพร", "45.00"),
    ("MANGO-DRIED", "มะม่วงอบแห้ง 200 กรัม", "89.00"),
]
