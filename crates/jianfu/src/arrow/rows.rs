//! A serde `Deserializer` over one row of Arrow arrays, so a table row becomes the core's
//! `Item` without JSON text in between. It reads a row as `arrow_json` writes it (nulls left
//! out, dates as `YYYY-MM-DD`, dictionaries as their values), so a row means the same either
//! way. A failure here is only a signal: the caller then reads the row through JSON, for the
//! item or for the core's precise error.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowDictionaryKeyType, Date32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, OffsetSizeTrait, StructArray};
use arrow_schema::DataType;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// Why a row did not deserialize (only a signal: the caller reads the row again through JSON).
#[derive(Debug)]
pub(crate) struct DeError(String);

impl std::fmt::Display for DeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// Days from 0001-01-01 (chrono's CE day numbers) to 1970-01-01 (Arrow's `date32` origin).
const EPOCH_CE: i32 = 719_163;

/// Deserializes `T` from row `row` of `record` (a record batch as a struct array).
pub(crate) fn from_row<'a, T: serde::Deserialize<'a>>(
    record: &'a StructArray,
    row: usize,
) -> Result<T, DeError> {
    T::deserialize(Cell { array: record, row })
}

/// One value: row `row` of `array`.
#[derive(Clone, Copy)]
struct Cell<'a> {
    array: &'a dyn Array,
    row: usize,
}

fn unsupported(data_type: &DataType) -> DeError {
    de::Error::custom(format!("unsupported Arrow type {data_type}"))
}

impl Cell<'_> {
    /// Whether the value is null (a `Null`-typed array has no null buffer but is all null).
    fn is_null(&self) -> bool {
        matches!(self.array.data_type(), DataType::Null) || self.array.is_null(self.row)
    }

    /// Whether JSON would read the value as null: a null, or a float that is not finite.
    fn reads_as_null(&self) -> bool {
        self.is_null()
            || self
                .array
                .as_primitive_opt::<Float64Type>()
                .is_some_and(|a| !a.value(self.row).is_finite())
    }
}

impl<'a> Cell<'a> {
    /// The cell a dictionary array's row points at in its values.
    fn dictionary<K: ArrowDictionaryKeyType>(self) -> Option<Cell<'a>> {
        let dictionary = self.array.as_dictionary_opt::<K>()?;
        let key = dictionary.key(self.row)?;
        let values = dictionary.values().as_ref();
        (key < values.len()).then_some(Cell {
            array: values,
            row: key,
        })
    }

    /// The elements of a list row.
    fn list<O: OffsetSizeTrait>(self) -> Option<Elements<'a>> {
        let list = self.array.as_list_opt::<O>()?;
        let offsets = list.value_offsets();
        let start = offsets.get(self.row)?.as_usize();
        let end = offsets.get(self.row + 1)?.as_usize();
        let values = list.values().as_ref();
        (start <= end && end <= values.len()).then_some(Elements {
            array: values,
            next: start,
            end,
        })
    }
}

impl<'de> de::Deserializer<'de> for Cell<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.is_null() {
            return visitor.visit_unit();
        }
        let (array, row) = (self.array, self.row);
        let data_type = array.data_type();
        match data_type {
            DataType::Boolean => visitor.visit_bool(array.as_boolean().value(row)),
            DataType::Int8 => visitor.visit_i64(array.as_primitive::<Int8Type>().value(row).into()),
            DataType::Int16 => {
                visitor.visit_i64(array.as_primitive::<Int16Type>().value(row).into())
            }
            DataType::Int32 => {
                visitor.visit_i64(array.as_primitive::<Int32Type>().value(row).into())
            }
            DataType::Int64 => visitor.visit_i64(array.as_primitive::<Int64Type>().value(row)),
            DataType::UInt8 => {
                visitor.visit_u64(array.as_primitive::<UInt8Type>().value(row).into())
            }
            DataType::UInt16 => {
                visitor.visit_u64(array.as_primitive::<UInt16Type>().value(row).into())
            }
            DataType::UInt32 => {
                visitor.visit_u64(array.as_primitive::<UInt32Type>().value(row).into())
            }
            DataType::UInt64 => visitor.visit_u64(array.as_primitive::<UInt64Type>().value(row)),
            // JSON has no NaN or infinity: arrow_json writes them as null.
            DataType::Float64 => match array.as_primitive::<Float64Type>().value(row) {
                value if value.is_finite() => visitor.visit_f64(value),
                _ => visitor.visit_unit(),
            },
            DataType::Utf8 => visitor.visit_borrowed_str(array.as_string::<i32>().value(row)),
            DataType::LargeUtf8 => visitor.visit_borrowed_str(array.as_string::<i64>().value(row)),
            DataType::Utf8View => visitor.visit_borrowed_str(array.as_string_view().value(row)),
            DataType::Date32 => {
                let days = array.as_primitive::<Date32Type>().value(row);
                let date = days
                    .checked_add(EPOCH_CE)
                    .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
                    .ok_or_else(|| unsupported(data_type))?;
                visitor.visit_str(&date.format("%Y-%m-%d").to_string())
            }
            DataType::Struct(_) => visitor.visit_map(Fields {
                record: array.as_struct(),
                row,
                next: 0,
                value: None,
            }),
            DataType::List(_) => {
                visitor.visit_seq(self.list::<i32>().ok_or_else(|| unsupported(data_type))?)
            }
            DataType::LargeList(_) => {
                visitor.visit_seq(self.list::<i64>().ok_or_else(|| unsupported(data_type))?)
            }
            DataType::Dictionary(key, _) => {
                let cell = match key.as_ref() {
                    DataType::Int8 => self.dictionary::<Int8Type>(),
                    DataType::Int16 => self.dictionary::<Int16Type>(),
                    DataType::Int32 => self.dictionary::<Int32Type>(),
                    DataType::Int64 => self.dictionary::<Int64Type>(),
                    DataType::UInt8 => self.dictionary::<UInt8Type>(),
                    DataType::UInt16 => self.dictionary::<UInt16Type>(),
                    DataType::UInt32 => self.dictionary::<UInt32Type>(),
                    DataType::UInt64 => self.dictionary::<UInt64Type>(),
                    _ => None,
                };
                cell.ok_or_else(|| unsupported(data_type))?
                    .deserialize_any(visitor)
            }
            // Float32 (JSON writes the shortest decimal, not the widened value), Date64 (JSON
            // writes a date-time), maps, decimals, timestamps and the rest: JSON decides.
            _ => Err(unsupported(data_type)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.reads_as_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let text = <&str as serde::Deserialize>::deserialize(self)?;
        visitor.visit_enum(BorrowedStrDeserializer::new(text))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// The non-null fields of a struct row, as map entries.
struct Fields<'a> {
    record: &'a StructArray,
    row: usize,
    next: usize,
    value: Option<Cell<'a>>,
}

impl<'a> MapAccess<'a> for Fields<'a> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let record = self.record;
        while let (Some(column), Some(field)) = (
            record.columns().get(self.next),
            record.fields().get(self.next),
        ) {
            self.next += 1;
            let cell = Cell {
                array: column.as_ref(),
                row: self.row,
            };
            if !cell.is_null() {
                self.value = Some(cell);
                return seed
                    .deserialize(BorrowedStrDeserializer::new(field.name()))
                    .map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(cell) => seed.deserialize(cell),
            None => Err(de::Error::custom("value without a key")),
        }
    }
}

/// The elements of a list row.
struct Elements<'a> {
    array: &'a dyn Array,
    next: usize,
    end: usize,
}

impl<'a> SeqAccess<'a> for Elements<'a> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        if self.next >= self.end {
            return Ok(None);
        }
        let cell = Cell {
            array: self.array,
            row: self.next,
        };
        self.next += 1;
        seed.deserialize(cell).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.end.saturating_sub(self.next))
    }
}
