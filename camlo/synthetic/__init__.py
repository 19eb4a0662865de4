"""SYNTHETIC household records, made by seeded generators from published counts and stated assumptions.

``blocks`` holds the reusable pieces (each takes a numpy Generator and parameters);
``review_2022`` assembles the 2022 review. Nothing here is real data.
"""
