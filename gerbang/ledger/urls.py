from django.urls import path, re_path

from gerbang.ledger import proof_views, views

app_name = "ledger"

urlpatterns = [
    path("ledger/checkpoint", views.checkpoint, name="checkpoint"),
    path("ledger/key", views.verifier_key, name="key"),
    path("ledger/cosign", views.cosign, name="cosign"),
    path("ledger/checkpoints/", views.checkpoints_page, name="checkpoints"),
    path("ledger/proof/<int:event_id>/", proof_views.proof, name="proof"),
    re_path(r"^ledger/(?P<path>tile/.+)$", views.tile, name="tile"),
]
