"""``id__in=[n]`` with an ``n`` past the column's range matches nothing, instead of crashing.

Django already answers ``=``, ``<`` and ``>`` this way for integer columns; ``IN`` hands the
number to the driver, and SQLite's raises ``OverflowError`` ("Python int too large to convert
to SQLite INTEGER"). Forms reach it with whatever was posted: a multiple-choice field
(tags, groups, permissions) checks the posted ids with ``pk__in``, so a 30-digit id was a 500.
"""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
