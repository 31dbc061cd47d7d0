"""The signed-in person as JSON: who the session or the app's token stands for."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema

from gerbang.accounts.http import AuthenticatedRequest
from gerbang.core.api_auth import signed_in
from gerbang.core.app_scopes import Scope

router = Router(tags=["profile"])


class MeOut(Schema):
    email: str
    full_name: str
    language: str = Field(description="The language the person chose for messages: id or en.")


@router.get("/me", response=MeOut, auth=signed_in(Scope.PROFILE))
def me(request: AuthenticatedRequest) -> dict[str, Any]:
    user = request.user
    return {"email": user.email, "full_name": user.full_name, "language": user.language}
