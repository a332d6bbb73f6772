import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { RecurrenceDto, TimesDto } from '../events/event.dto';

/** POST /api/users/{user}/office-hours: start, end, timeZone, recurrence (recurring), description. */
export class CreateOfficeHoursDto extends TimesDto {
  @ApiProperty({ type: RecurrenceDto, description: 'daily, weekly or monthly' })
  @IsObject()
  @ValidateNested()
  @Type(() => RecurrenceDto)
  recurrence!: RecurrenceDto;

  @ApiPropertyOptional({ description: 'plain text' })
  @IsOptional()
  @IsString()
  @MaxLength(32_000)
  description?: string;

  @ApiPropertyOptional({ default: 'Office hours' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  title?: string;
}

/** PATCH /api/users/{user}/office-hours/{id}: any subset. */
export class UpdateOfficeHoursDto extends PartialType(CreateOfficeHoursDto) {}
