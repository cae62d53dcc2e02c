"""Rights over resources, and party succession."""

from __future__ import annotations

from fastapi import APIRouter

from yaosu.api.deps import ActorDep, SessionDep, VisitorDep
from yaosu.rights import service, succession
from yaosu.rights.schemas import (
    GrantCreate,
    RevokeRequest,
    RightRead,
    SuccessionCreate,
    SuccessionRead,
    TransferCreate,
)

router = APIRouter(tags=["rights"])


@router.get("/resources/{resource_id}/rights")
def list_rights(resource_id: str, session: SessionDep, actor: VisitorDep,
                include_ended: bool = False) -> list[RightRead]:
    """Rights over a resource (ended ones on request)."""
    rows = service.list_rights(session=session, actor=actor, subject_id=resource_id, include_ended=include_ended)
    return [RightRead.model_validate(r) for r in rows]


@router.get("/rights/{right_id}")
def get_right(right_id: str, session: SessionDep, actor: VisitorDep) -> RightRead:
    """One right."""
    return RightRead.model_validate(service.get_right(session=session, actor=actor, right_id=right_id))


@router.get("/rights/{right_id}/chain")
def chain_of_title(right_id: str, session: SessionDep, actor: VisitorDep) -> list[RightRead]:
    """The chain of title, original right first."""
    return [RightRead.model_validate(r) for r in service.chain_of_title(session=session, actor=actor,
                                                                        right_id=right_id)]


@router.post("/rights/{right_id}/grants", status_code=201)
def grant(right_id: str, data: GrantCreate, session: SessionDep, actor: ActorDep) -> RightRead:
    """License part of a right to another party (never broader than the grantor's right)."""
    return RightRead.model_validate(service.grant_right(session=session, actor=actor, right_id=right_id, data=data))


@router.post("/rights/{right_id}/transfer", status_code=201)
def transfer(right_id: str, data: TransferCreate, session: SessionDep, actor: ActorDep) -> RightRead:
    """Transfer a whole right; returns the new holder's record."""
    return RightRead.model_validate(service.transfer_right(session=session, actor=actor, right_id=right_id,
                                                           data=data))


@router.post("/rights/{right_id}/revoke")
def revoke(right_id: str, data: RevokeRequest, session: SessionDep, actor: ActorDep) -> RightRead:
    """Revoke a licence and everything derived from it (grantor or operator)."""
    return RightRead.model_validate(service.revoke_right(session=session, actor=actor, right_id=right_id,
                                                         reason=data.reason))


@router.post("/rights/expire-due")
def expire_due(session: SessionDep, actor: ActorDep) -> list[RightRead]:
    """Expire every right whose term has ended (operator)."""
    return [RightRead.model_validate(r) for r in service.expire_due(session=session, actor=actor)]


@router.post("/successions", status_code=201)
def succeed(data: SuccessionCreate, session: SessionDep, actor: ActorDep) -> SuccessionRead:
    """Record a merger, split, dissolution or bankruptcy; rights and duties pass to the successors (operator)."""
    return SuccessionRead.model_validate(succession.succeed_party(session=session, actor=actor, data=data))
