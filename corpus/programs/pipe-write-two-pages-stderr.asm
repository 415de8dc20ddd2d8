; same on stderr: 8192
%define FD 2
%define PRE 0
%define K 8193
%define LEN 12000
%include "pipe-write.inc"
