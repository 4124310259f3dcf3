"""Living systematic reviews: protocol, search rounds, screening, findings, PRISMA 2020, graph nodes.

Files are the truth (see :mod:`verlicht.reviews.folder`); the build turns them into Review,
ReviewRound, Study and Finding nodes (:mod:`verlicht.reviews.nodes`).
"""
