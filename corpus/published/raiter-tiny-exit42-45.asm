; Brian Raiter's 45-byte exit(42), rebuilt from the final listing of "A Whirlwind Tutorial on
; Creating Really Teensy ELF Executables for Linux"
; (http://www.muppetlabs.com/~breadbox/software/tiny/teensy.html). golf's own reading of the
; bytes, for `nasm -f bin` / `golf asm`.
;
; The program header starts at offset 4, inside e_ident; the file ends after the low byte of
; e_phnum (the kernel reads the rest of the ELF header as zeros). p_flags is 4 (PF_R only): the
; code runs because a 32-bit file without PT_GNU_STACK gets READ_IMPLIES_EXEC.
BITS 32
org 0x10000
        db      0x7f, "ELF"             ; magic
        dd      1                       ; e_ident[4..7]   = p_type: PT_LOAD
        dd      0                       ; e_ident[8..11]  = p_offset
        dd      0x10000                 ; e_ident[12..15] = p_vaddr
        dw      2                       ; e_type ET_EXEC   = p_paddr low
        dw      3                       ; e_machine i386   = p_paddr high
        dd      entry                   ; e_version        = p_filesz
        dd      entry                   ; e_entry          = p_memsz
        dd      4                       ; e_phoff          = p_flags: PF_R
entry:                                  ; the code fills e_shoff (= p_align) and e_flags:
        mov     bl, 42                  ;   status 42 (ebx is 0 at entry)
        xor     eax, eax
        inc     eax                     ;   eax = 1: exit
        int     0x80
        db      0                       ; last byte of e_flags
        dw      0x34                    ; e_ehsize (ignored)
        dw      0x20                    ; e_phentsize: 32
        db      1                       ; e_phnum low (its high byte lies past the end of the file)
