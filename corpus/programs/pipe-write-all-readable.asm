; write of 4097 bytes, all readable up to the unmapped page: all 4097 written
%define FD 1
%define PRE 0
%define K 4097
%define LEN 4097
%include "pipe-write.inc"
