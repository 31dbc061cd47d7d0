"""Statements that hot paths run many times a second, compiled by the ORM once and kept.

Django compiles a queryset to SQL on every use. For a read of a row with its related rows that
costs about half a millisecond of Python, several times what the database takes to answer, and
a booking is a handful of such statements. A prepared statement is built from an ordinary
queryset (so the model, the joins, the conditions and the converters, decryption included, stay
the ORM's), compiled once per thread and database, and afterwards only binds its parameters.

An insert is prepared for a model: the row's values are converted as ``save()`` converts them,
but no save signal is sent, so a model something listens to is refused. On PostgreSQL an insert
can be made to depend on a conditional update, in one statement (``PreparedInsertIfUpdated``).

The builder is called once with stand-ins for the parameters (whole numbers or text); the
parameters of the compiled SQL that are stand-ins are replaced by the values of each call.
Everything else the builder uses (lists of states, expressions) is fixed at that first call.
A parameter the ORM would change on its way to the SQL (text for ``icontains``, say) is refused
when the statement is built, rather than bound wrongly.

Whole-number parameters are keys compared for equality. One that no 64-bit integer column can
hold (an id of 2**63 typed into an address) matches no row, as the ORM's own ``exact`` lookup
answers: a read finds nothing and an update changes nothing, without asking the database (whose
driver would fail on the number). An insert's values come from rows already found, so an
out-of-range one there is a programming error, refused before the database sees it.
"""

from __future__ import annotations

import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, Generic, NamedTuple, TypeVar, cast

from django.db import connections, router, transaction
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery, UpdateQuery

M = TypeVar("M", bound=Model)

# What a 64-bit integer column holds (BIGINT, SQLite's INTEGER).
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
# Stand-ins no real parameter takes: ids are positive, texts have no control characters.
_INT_STAND_IN = -7_331_000_000_000
_TEXT_MARK = "\x1fprepared-"


def _stand_in(kind: type, n: int) -> Any:
    if kind is int:
        return _INT_STAND_IN - n
    if kind is str:
        return f"{_TEXT_MARK}{n}\x1f"
    raise TypeError(f"a prepared statement's parameters are int or str, not {kind.__name__}")


class _Statement:
    """SQL with the positions of its parameters: a stand-in's number, or a fixed value."""

    def __init__(self, sql: str, params: tuple[Any, ...] | list[Any], stand_ins: list[Any]) -> None:
        self.sql = sql
        numbers = {value: n for n, value in enumerate(stand_ins)}
        self.params = [("arg", numbers[p]) if _is_stand_in(p, numbers) else ("fixed", p) for p in params]
        if any(kind == "fixed" and _derived(value) for kind, value in self.params):
            raise ValueError(f"a value is computed from a parameter (bound once, wrong ever after): {sql}")
        found = {n for kind, n in self.params if kind == "arg"}
        missing = set(range(len(stand_ins))) - found
        if missing:
            raise ValueError(
                f"parameters {sorted(missing)} do not reach the SQL as given (changed by a lookup?): {sql}"
            )

    def bind(self, args: tuple[Any, ...]) -> list[Any]:
        return [args[value] if kind == "arg" else value for kind, value in self.params]


def _derived(value: Any) -> bool:
    """Whether a value looks computed from a stand-in (a stand-in's text within it, or a number
    near the stand-ins): the builder did arithmetic on a parameter instead of passing it."""
    if isinstance(value, str):
        return _TEXT_MARK in value
    return _is_number(value) and abs(value - _INT_STAND_IN) < 10**9


def _is_number(value: Any) -> bool:
    # Backends wrap numbers (psycopg's Int2 for a small integer column); bool is no number here.
    return isinstance(value, int) and not isinstance(value, bool)


def _fits(value: int) -> bool:
    # Compared, not looked up in a range(): for an int subclass (psycopg's Int8) ``in`` walks it.
    return _INT_MIN <= value <= _INT_MAX


def _is_stand_in(value: Any, numbers: dict[Any, int]) -> bool:
    return (isinstance(value, str) or _is_number(value)) and value in numbers


class _Prepared(ABC):
    def __init__(self, kinds: tuple[type, ...]) -> None:
        self.kinds = kinds
        for n, kind in enumerate(kinds):
            _stand_in(kind, n)  # refuses kinds other than int and str at once
        self._local = threading.local()

    def _stand_ins(self) -> list[Any]:
        return [_stand_in(kind, n) for n, kind in enumerate(self.kinds)]

    def _check(self, args: tuple[Any, ...]) -> bool:
        """Whether a row can match: False when a whole number is out of any column's range."""
        if len(args) != len(self.kinds):
            raise TypeError(f"{len(self.kinds)} parameters expected, {len(args)} given")
        for value, kind in zip(args, self.kinds, strict=True):
            if type(value) is not kind:
                raise TypeError(f"a {kind.__name__} parameter expected, got {value!r}")
        return all(_fits(value) for value in args if type(value) is int)

    def _compiled(self) -> Any:
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = self._local.compiled = self._compile()
        return compiled

    @abstractmethod
    def _compile(self) -> Any:
        """What a call needs, worked out once per thread (the statement, and for a read how to
        make its rows into objects)."""


class _CompiledRead(NamedTuple):
    """What ``QuerySet.__iter__`` works out on every call, worked out once (see ModelIterable)."""

    alias: str
    statement: _Statement
    compiler: Any
    converters: dict[int, Any]
    model: type[Model]
    init_list: list[str]
    own: slice  # the row's columns of the model itself, before its select_related rows
    related: list[Any]
    annotations: dict[str, int]


class PreparedRead(_Prepared, Generic[M]):
    """A read of model instances (with their ``select_related`` rows)."""

    def __init__(self, build: Callable[..., QuerySet[M]], *kinds: type) -> None:
        super().__init__(kinds)
        self.build = build

    def _compile(self) -> Any:
        queryset: Any = self.build(*self._stand_ins())  # its private parts are read below
        if queryset._known_related_objects or queryset._prefetch_related_lookups:
            raise ValueError("a prepared read takes a plain queryset (no related manager, no prefetch)")
        alias = queryset.db
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()  # also fills select, klass_info and annotation_col_map
        statement = _Statement(sql, params, self._stand_ins())
        select, klass_info = compiler.select, compiler.klass_info
        start, stop = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _CompiledRead(
            alias=alias,
            statement=statement,
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:stop]],
            own=slice(start, stop),
            related=get_related_populators(klass_info, select, alias),  # type: ignore[call-arg]  # stubs of a later Django
            annotations=compiler.annotation_col_map or {},
        )

    def __call__(self, *args: Any) -> list[M]:
        if not self._check(args):
            return []
        read: _CompiledRead = self._compiled()
        with connections[read.alias].cursor() as cursor:
            cursor.execute(read.statement.sql, read.statement.bind(args))
            rows: Any = cursor.fetchall()
        if read.converters:
            rows = read.compiler.apply_converters(rows, read.converters)
        found: list[M] = []
        for row in rows:
            instance = read.model.from_db(read.alias, read.init_list, row[read.own])
            for populator in read.related:
                populator.populate(row, instance)
            for name, position in read.annotations.items():
                setattr(instance, name, row[position])
            found.append(cast(M, instance))
        return found

    def first(self, *args: Any) -> M | None:
        found = self(*args)
        return found[0] if found else None


class PreparedUpdate(_Prepared):
    """A conditional UPDATE of one table; calling it returns the number of rows changed."""

    def __init__(self, build: Callable[..., tuple[QuerySet[Any], dict[str, Any]]], *kinds: type) -> None:
        super().__init__(kinds)
        self.build = build

    def _compile(self) -> Any:
        queryset, changes = self.build(*self._stand_ins())
        queryset._for_write = True  # type: ignore[attr-defined]  # as QuerySet.update() does
        query: Any = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        query.clear_select_clause()
        if query.related_updates or len([a for a, count in query.alias_refcount.items() if count]) > 1:
            raise ValueError("a prepared update changes one table on its own conditions")
        alias = queryset.db
        sql, params = query.get_compiler(alias).as_sql()
        return alias, _Statement(sql, params, self._stand_ins())

    def __call__(self, *args: Any) -> int:
        if not self._check(args):
            return 0
        alias, statement = self._compiled()
        with transaction.mark_for_rollback_on_error(using=alias), connections[alias].cursor() as cursor:
            cursor.execute(statement.sql, statement.bind(args))
            return int(cursor.rowcount)


class PreparedInsert(_Prepared, Generic[M]):
    """An INSERT of one new row of ``model`` from an unsaved instance, which gets its id. The
    values are converted as ``save()`` converts them (defaults, ``auto_now``, encryption), but
    no save signal is sent: a model with save listeners is refused."""

    def __init__(self, model: type[M]) -> None:
        super().__init__(())
        self.model = model

    def _compile(self) -> Any:
        meta = self.model._meta
        alias = router.db_for_write(self.model)
        fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
        query = InsertQuery(self.model)
        query.insert_values(fields, [self.model()])
        compiler = query.get_compiler(alias)
        compiler.returning_fields = [meta.pk]
        statements = compiler.as_sql()
        if (
            meta.auto_field is None
            or not connections[alias].features.can_return_columns_from_insert
            or len(statements) != 1
            or len(statements[0][1]) != len(fields)
        ):
            raise ValueError(f"{meta.label}: no single INSERT returning its id on this database")
        return alias, compiler, fields, statements[0][0]

    def _values(self, instance: M, compiler: Any, fields: list[Any]) -> list[Any]:
        if pre_save.has_listeners(self.model) or post_save.has_listeners(self.model):
            raise TypeError(f"{self.model._meta.label} has save listeners: save() it instead")
        if not instance._state.adding:
            raise ValueError("a prepared insert takes a new instance")
        values = [compiler.prepare_value(field, compiler.pre_save_val(field, instance)) for field in fields]
        for field, value in zip(fields, values, strict=True):
            if _is_number(value) and not _fits(value):
                raise ValueError(f"{self.model._meta.label}.{field.name}: {value} fits no integer column")
        return values

    @staticmethod
    def _made(instance: M, pk: Any, alias: str) -> M:
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = alias
        return instance

    def __call__(self, instance: M) -> M:
        alias, compiler, fields, sql = self._compiled()
        params = self._values(instance, compiler, fields)
        connection: Any = connections[alias]
        with transaction.mark_for_rollback_on_error(using=alias), connection.cursor() as cursor:
            cursor.execute(sql, params)
            returned = connection.ops.fetch_returned_insert_columns(cursor, ())
        return self._made(instance, returned[0], alias)


# An INSERT as Django compiles it for one row: the table and columns, the values, what it returns.
_ONE_ROW_INSERT = re.compile(r"(INSERT INTO .+?) VALUES \((.+)\) (RETURNING .+)", re.DOTALL)


class PreparedInsertIfUpdated(_Prepared, Generic[M]):
    """PostgreSQL: the INSERT of a ``PreparedInsert``, made only when the conditional UPDATE of
    a ``PreparedUpdate`` changes a row, both in one statement (a data-modifying WITH). One
    round trip, atomic without a transaction of its own: when the INSERT fails (a unique
    constraint, say), the UPDATE is undone with it. Calling it with the new instance and the
    update's parameters returns whether the row was made (the instance then has its id).

    Where a transaction is open, it runs in a savepoint, so that a failure leaves the
    transaction as it was, as ``atomic()`` around the two statements would."""

    def __init__(self, insert: PreparedInsert[M], update: PreparedUpdate) -> None:
        super().__init__(update.kinds)
        self.insert, self.update = insert, update

    def _compile(self) -> Any:
        alias, compiler, fields, insert_sql = self.insert._compiled()
        update_alias, update = self.update._compiled()
        found = _ONE_ROW_INSERT.fullmatch(insert_sql)
        if alias != update_alias or connections[alias].vendor != "postgresql" or found is None:
            raise ValueError(f"no INSERT under a data-modifying WITH on this database: {insert_sql}")
        into, values, returning = found.groups()
        # Only the ORM's own compiled SQL is put together here; every value stays a parameter.
        head = f'WITH "updated" AS ({update.sql} RETURNING 1) {into}'
        sql = f'{head} SELECT {values} FROM "updated" {returning}'  # noqa: S608
        return alias, compiler, fields, sql, update

    def __call__(self, instance: M, *args: Any) -> bool:
        if not self._check(args):
            return False
        alias, compiler, fields, sql, update = self._compiled()
        params = update.bind(args) + self.insert._values(instance, compiler, fields)
        connection: Any = connections[alias]
        with (
            transaction.atomic(using=alias) if connection.in_atomic_block else nullcontext(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
            returned = cursor.fetchone()
        if returned is None:
            return False
        self.insert._made(instance, returned[0], alias)
        return True
