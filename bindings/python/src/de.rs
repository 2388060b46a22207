//! A serde `Deserializer` over Python objects, so an item given as a dict becomes the core's
//! `Item` without JSON text or a JSON value in between. Any failure here is only a signal:
//! the caller then reads the item through the core's JSON reader for the precise error.

use std::fmt;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// Why a Python object does not deserialize (not shown to users).
#[derive(Debug)]
pub struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

impl From<PyErr> for DeError {
    fn from(e: PyErr) -> Self {
        Self(e.to_string())
    }
}

/// Deserializes `T` from a Python object (dict, list, tuple, str, int, float, bool, None,
/// `datetime.date`).
pub fn from_py<'de, T: serde::Deserialize<'de>>(obj: &Bound<'_, PyAny>) -> Result<T, DeError> {
    T::deserialize(PyDe(obj, 0))
}

/// A Python object and how deep it sits in the value being read.
struct PyDe<'a, 'py>(&'a Bound<'py, PyAny>, usize);

impl<'de> de::Deserializer<'de> for PyDe<'_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let (obj, depth) = (self.0, self.1);
        if depth > jianfu::limits::Limits::get().nesting_depth_max {
            return Err(DeError(crate::convert::too_deep()));
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return visitor.visit_str(&s.to_cow()?);
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            return visitor.visit_map(Entries {
                entries: dict.iter(),
                value: None,
                depth: depth + 1,
            });
        }
        if let Ok(list) = obj.cast::<PyList>() {
            return visitor.visit_seq(Items(
                list.iter().collect::<Vec<_>>().into_iter(),
                depth + 1,
            ));
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return visitor.visit_seq(Items(
                tuple.iter().collect::<Vec<_>>().into_iter(),
                depth + 1,
            ));
        }
        if obj.is_none() {
            return visitor.visit_unit();
        }
        if obj.is_instance_of::<PyBool>() {
            return visitor.visit_bool(obj.is_truthy()?);
        }
        if obj.is_instance_of::<PyInt>() {
            return match obj.extract::<i64>() {
                Ok(i) => visitor.visit_i64(i),
                Err(_) => visitor.visit_u64(obj.extract::<u64>()?),
            };
        }
        if obj.is_instance_of::<PyFloat>() {
            return visitor.visit_f64(obj.extract::<f64>()?);
        }
        if obj.is_instance_of::<PyDate>() {
            let text: String = obj.call_method0("isoformat")?.extract()?;
            return visitor.visit_str(&text);
        }
        Err(DeError("unsupported type".into()))
    }

    // serde reads a struct from a sequence too; an item or a register is a dict, never a list.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if self.0.cast::<PyDict>().is_err() {
            return Err(DeError("expected a dict".into()));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.0.is_none() {
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
        let s = self
            .0
            .cast::<PyString>()
            .map_err(|_| DeError("enum".into()))?;
        let text = s.to_cow()?;
        let access: de::value::StrDeserializer<'_, DeError> = text.as_ref().into_deserializer();
        visitor.visit_enum(access)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map identifier
        ignored_any
    }
}

struct Entries<'py> {
    entries: pyo3::types::dict::BoundDictIterator<'py>,
    value: Option<Bound<'py, PyAny>>,
    depth: usize,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(PyDe(&key, self.depth)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(value) => seed.deserialize(PyDe(&value, self.depth)),
            None => Err(DeError("value without a key".into())),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Items<'py>(std::vec::IntoIter<Bound<'py, PyAny>>, usize);

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.0.next() {
            Some(item) => seed.deserialize(PyDe(&item, self.1)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}
