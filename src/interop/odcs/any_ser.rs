//! A serde serializer straight into an [`Any`], giving what writing the value as YAML with
//! the spec's writer and reading it back gives, without the text in between (an export of a
//! 1,000-product catalog spent a third of its time writing and re-reading that YAML).
//!
//! A scalar whose round trip is not plain (a float: the writer's spelling decides whether it
//! reads back as a float or a whole number; a number beyond `i64`) takes the YAML road on
//! its own. Any other shape the YAML road may treat differently (bytes, keys that are not
//! text, a repeated key, serde-saphyr's own wrappers) is refused with [`Unsupported`], and
//! [`super::any::to_any`] then takes the YAML road for the whole value, so the result
//! never depends on which road was taken.

use super::any::Any;
use indexmap::IndexMap;
use serde::Serialize;
use serde::ser::{self, Impossible};
use std::fmt;

/// A shape this serializer leaves to the YAML round trip (or an error of the value's own
/// `Serialize`, which the YAML road reports in its words).
#[derive(Debug)]
pub(crate) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not representable directly")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

type Result<T> = std::result::Result<T, Unsupported>;

/// `value` as an [`Any`], or [`Unsupported`] when only the YAML round trip can tell.
pub(crate) fn to_any<T: Serialize + ?Sized>(value: &T) -> Result<Any> {
    value.serialize(ToAny { skip: &[] })
}

/// [`to_any`] without the top-level keys in `skip`, which are never serialized (cheaper than
/// building them and removing them when they are the bulk of the value).
pub(crate) fn to_any_without<T: Serialize + ?Sized>(value: &T, skip: &[&str]) -> Result<Any> {
    value.serialize(ToAny { skip })
}

/// The serializer; `skip` applies to the map or struct it makes first, not to nested ones.
struct ToAny<'s> {
    skip: &'s [&'s str],
}

const NESTED: ToAny<'static> = ToAny { skip: &[] };

/// A list being built: a sequence, a tuple, or the payload of a tuple variant.
pub(crate) struct ListSer {
    items: Vec<Any>,
    variant: Option<&'static str>,
}

/// A map being built: a map, a struct, or the payload of a struct variant.
pub(crate) struct MapSer<'s> {
    entries: IndexMap<String, Any>,
    key: Option<String>,
    variant: Option<&'static str>,
    skip: &'s [&'s str],
}

/// One scalar written by the spec's YAML writer and read back, as the whole value would be.
fn scalar_via_yaml<T: Serialize>(v: &T) -> Result<Any> {
    let text = crate::spec::to_yaml("value", v).map_err(|_| Unsupported)?;
    crate::spec::parse_yaml("value", &text).map_err(|_| Unsupported)
}

/// `{variant: payload}`, how the YAML writer spells an enum variant with data.
fn variant_map(variant: &str, payload: Any) -> Any {
    let mut m = IndexMap::new();
    m.insert(variant.to_string(), payload);
    Any::Map(m)
}

impl<'s> ser::Serializer for ToAny<'s> {
    type Ok = Any;
    type Error = Unsupported;
    type SerializeSeq = ListSer;
    type SerializeTuple = ListSer;
    type SerializeTupleStruct = ListSer;
    type SerializeTupleVariant = ListSer;
    type SerializeMap = MapSer<'s>;
    type SerializeStruct = MapSer<'s>;
    type SerializeStructVariant = MapSer<'s>;

    fn serialize_bool(self, v: bool) -> Result<Any> {
        Ok(Any::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Any> {
        Ok(Any::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Any> {
        Ok(Any::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Any> {
        Ok(Any::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Any> {
        Ok(Any::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Any> {
        Ok(Any::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Any> {
        Ok(Any::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Any> {
        Ok(Any::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Any> {
        match i64::try_from(v) {
            Ok(i) => Ok(Any::Int(i)),
            Err(_) => scalar_via_yaml(&v),
        }
    }
    fn serialize_i128(self, v: i128) -> Result<Any> {
        scalar_via_yaml(&v)
    }
    fn serialize_u128(self, v: u128) -> Result<Any> {
        scalar_via_yaml(&v)
    }
    fn serialize_f32(self, v: f32) -> Result<Any> {
        scalar_via_yaml(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<Any> {
        scalar_via_yaml(&v)
    }
    fn serialize_char(self, v: char) -> Result<Any> {
        Ok(Any::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Any> {
        Ok(Any::Text(v.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Any> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<Any> {
        Ok(Any::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Any> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Any> {
        Ok(Any::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Any> {
        Ok(Any::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Any> {
        Ok(Any::Text(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Any> {
        // serde-saphyr's own wrappers (styles, anchors, comments) are named `__…`.
        if name.starts_with("__") {
            return Err(Unsupported);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Any> {
        Ok(variant_map(variant, value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ListSer> {
        Ok(ListSer {
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ListSer> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<ListSer> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<ListSer> {
        Ok(ListSer {
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapSer<'s>> {
        Ok(MapSer {
            entries: IndexMap::with_capacity(len.unwrap_or(0)),
            key: None,
            variant: None,
            skip: self.skip,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<MapSer<'s>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<MapSer<'s>> {
        Ok(MapSer {
            entries: IndexMap::with_capacity(len),
            key: None,
            variant: Some(variant),
            // The payload sits under the variant's key: not the top level.
            skip: &[],
        })
    }
}

impl ListSer {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.items.push(value.serialize(NESTED)?);
        Ok(())
    }
    fn finish(self) -> Any {
        let list = Any::List(self.items);
        match self.variant {
            Some(v) => variant_map(v, list),
            None => list,
        }
    }
}

impl ser::SerializeSeq for ListSer {
    type Ok = Any;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Any> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for ListSer {
    type Ok = Any;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Any> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for ListSer {
    type Ok = Any;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Any> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleVariant for ListSer {
    type Ok = Any;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.push(value)
    }
    fn end(self) -> Result<Any> {
        Ok(self.finish())
    }
}

impl MapSer<'_> {
    fn insert<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<()> {
        if self.skip.contains(&key.as_str()) {
            return Ok(());
        }
        // A repeated key is a shape the YAML reader may judge differently.
        if self.entries.contains_key(&key) {
            return Err(Unsupported);
        }
        self.entries.insert(key, value.serialize(NESTED)?);
        Ok(())
    }
    fn finish(self) -> Any {
        let map = Any::Map(self.entries);
        match self.variant {
            Some(v) => variant_map(v, map),
            None => map,
        }
    }
}

impl ser::SerializeMap for MapSer<'_> {
    type Ok = Any;
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(key.serialize(KeySer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self.key.take().ok_or(Unsupported)?;
        self.insert(key, value)
    }
    fn end(self) -> Result<Any> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for MapSer<'_> {
    type Ok = Any;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.insert(key.to_string(), value)
    }
    fn end(self) -> Result<Any> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for MapSer<'_> {
    type Ok = Any;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.insert(key.to_string(), value)
    }
    fn end(self) -> Result<Any> {
        Ok(self.finish())
    }
}

/// A map key: text only (the YAML road decides what other keys become).
struct KeySer;

impl ser::Serializer for KeySer {
    type Ok = String;
    type Error = Unsupported;
    type SerializeSeq = Impossible<String, Unsupported>;
    type SerializeTuple = Impossible<String, Unsupported>;
    type SerializeTupleStruct = Impossible<String, Unsupported>;
    type SerializeTupleVariant = Impossible<String, Unsupported>;
    type SerializeMap = Impossible<String, Unsupported>;
    type SerializeStruct = Impossible<String, Unsupported>;
    type SerializeStructVariant = Impossible<String, Unsupported>;

    fn serialize_str(self, v: &str) -> Result<String> {
        Ok(v.to_string())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String> {
        Ok(variant.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<String> {
        if name.starts_with("__") {
            return Err(Unsupported);
        }
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_i8(self, _: i8) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_i16(self, _: i16) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_i32(self, _: i32) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_i64(self, _: i64) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_u8(self, _: u8) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_u16(self, _: u16) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_u32(self, _: u32) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_u64(self, _: u64) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_f32(self, _: f32) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_char(self, _: char) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String> {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Unsupported)
    }
}
